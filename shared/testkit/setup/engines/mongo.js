// The globalSetup of packages that need mongo: see ../global-setup.js.
import { startEngines } from '../global-setup.js';

export default () => startEngines(['mongo']);
