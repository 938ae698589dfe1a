import { describeStoreConformance } from './conformance/index.js';
import { MapStore } from './map-store.js';

describeStoreConformance('MapStore', ({ clock, databases }) => new MapStore({ clock, databases }));
