/**
 * globalSetup of `npm run test:unit` (vitest.unit.config.ts): the pure tests need no dist/, so
 * nothing is built; only the summary of what was skipped and why.
 */
import { collectSkips } from './global.js';

export default collectSkips;
