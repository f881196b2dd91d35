// The globalSetup of packages that need mongo and redis: see ../global-setup.js.
import { startEngines } from '../global-setup.js';

export default () => startEngines(['mongo', 'redis']);
