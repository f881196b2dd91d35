// Stops the engines global-setup.js started and restores the environment variables it set.
export { stopEngines as default } from './global-setup.js';
