// Entry of the layout worker thread: the sources are TypeScript run through tsx (no build step),
// and a worker thread needs its own registration.
import { register } from 'tsx/esm/api';

register();
await import('./layout-thread.ts');
