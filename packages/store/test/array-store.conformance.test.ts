import { describeStoreConformance } from '../src/conformance/index.js';
import { ArrayStore } from './array-store.js';

describeStoreConformance('ArrayStore (test-only reference backend)', (options) => new ArrayStore(options));
