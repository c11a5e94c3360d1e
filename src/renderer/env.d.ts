import type { BackdropApi } from '../common/contract';

declare global {
  interface Window {
    /** Set by the preload inside Electron; absent in the browser test page. */
    backdrop?: BackdropApi;
  }
}
