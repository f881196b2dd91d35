import { jestConfig } from '@hub/testkit/jest-preset';

export default jestConfig(import.meta.dirname);
