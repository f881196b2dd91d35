// The globalSetup of packages that need redis: see ../global-setup.js.
import { startEngines } from '../global-setup.js';

export default () => startEngines(['redis']);
