import { backscrubContestant } from './backscrub';
import type { Contestant } from './contestant';
import { obsPluginContestant } from './obs-plugin';
import { rvmContestant } from './rvm';

/**
 * Every peer the benchmarks know, by a short id that crosses into worker threads and child processes.
 * Thread counts follow what each project ships with: the OBS plugin defaults to 1 thread, backscrub
 * to 1; RVM gets 2, as its measured figures in ../shared/peers/README.md were taken with.
 */
export const PEER_IDS = [
  'obs-selfie',
  'obs-meet',
  'obs-sinet',
  'backscrub-meet-full',
  'backscrub-meet-lite',
  'backscrub-mlkit-selfie',
  'rvm',
] as const;
export type PeerId = (typeof PEER_IDS)[number];

export function isPeerId(x: string): x is PeerId {
  return (PEER_IDS as readonly string[]).includes(x);
}

export function peerContestant(id: PeerId, threads?: number): Contestant {
  switch (id) {
    case 'obs-selfie':
      return obsPluginContestant('selfie', threads ?? 1);
    case 'obs-meet':
      return obsPluginContestant('meet', threads ?? 1);
    case 'obs-sinet':
      return obsPluginContestant('sinet', threads ?? 1);
    case 'backscrub-meet-full':
      return backscrubContestant('meet-full', threads ?? 1);
    case 'backscrub-meet-lite':
      return backscrubContestant('meet-lite', threads ?? 1);
    case 'backscrub-mlkit-selfie':
      return backscrubContestant('mlkit-selfie', threads ?? 1);
    case 'rvm':
      return rvmContestant(threads ?? 2);
  }
}

/** Peers the listing leaves out on purpose, with the reason printed under the tables. */
export const PEERS_LEFT_OUT: readonly { file: string; reason: string }[] = [
  {
    file: 'obs-backgroundremoval/tcmonodepth_tcsmallnet_192x320.onnx',
    reason: 'a monocular depth model (the plugin uses it for focal blur), not a person segmentation or matting model',
  },
];
