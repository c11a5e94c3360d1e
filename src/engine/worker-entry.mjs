// Outside a build, the engine is TypeScript: register tsx's loader in this thread, then load the host.
import { register } from 'tsx/esm/api';

register();
await import('./host.ts');
