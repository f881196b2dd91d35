import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.List;

/**
 * Serves MongoDB's wire protocol on 127.0.0.1:PORT (0 picks a free port), in memory, or in an
 * H2 file when FILE is given. Prints "listening PORT" once bound; exits when stdin closes, so
 * the engine never outlives the Node process that started it.
 * Usage: java -cp CLASSPATH Launcher.java PORT [FILE]
 */
public class Launcher {
  /** The Node driver 7 refuses servers below wire version 9; report MongoDB 7.0 (wire 21). */
  static final MongoVersion MONGO_7_0 = new MongoVersion() {
    public List<Integer> getVersionArray() { return List.of(7, 0, 0); }
    public int getWireVersion() { return 21; }
  };

  public static void main(String[] args) throws Exception {
    MongoBackend backend = args.length > 1 ? new H2Backend(args[1]) : new MemoryBackend();
    MongoServer server = new MongoServer(backend.version(MONGO_7_0));
    server.bind("127.0.0.1", Integer.parseInt(args[0]));
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
    System.out.println("listening " + server.getLocalAddress().getPort());
    while (System.in.read() != -1) { /* wait for the parent to go away */ }
    System.exit(0);
  }
}
