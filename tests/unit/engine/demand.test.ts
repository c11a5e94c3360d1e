import { describe, expect, it } from 'vitest';
import { FrameDemand } from '../../../src/engine/demand';

describe('FrameDemand', () => {
  it('answers from its consumers each time, and tells listeners only when the answer turns', () => {
    let previewShown = true;
    let vcamRead = false;
    const demand = new FrameDemand(() => previewShown || vcamRead);
    const heard: boolean[] = [];
    const off = demand.onChange((w) => heard.push(w));
    previewShown = false;
    expect(demand.now).toBe(false);
    demand.recheck();
    demand.recheck();
    vcamRead = true;
    demand.recheck();
    previewShown = true;
    demand.recheck();
    expect(heard).toEqual([false, true]);
    off();
    vcamRead = false;
    previewShown = false;
    demand.recheck();
    expect(heard).toEqual([false, true]);
  });
});
