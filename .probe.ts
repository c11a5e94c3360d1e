import * as ort from 'onnxruntime-node';
const o = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' as const };
const a = await ort.InferenceSession.create('models/selfie_segmentation.onnx', o);
const b = await ort.InferenceSession.create('/work/shared/peers/obs-backgroundremoval/selfie_segmentation.onnx', o);
const ta = new ort.Tensor('float32', new Float32Array(3*256*256).fill(0.5), [1,3,256,256]);
const tb = new ort.Tensor('float32', new Float32Array(3*256*256).fill(0.5), [1,256,256,3]);
const A: number[] = [], B: number[] = [];
for (let i = 0; i < 5; i++) { await a.run({ input_1: ta }); await b.run({ 'input_1:0': tb }); }
for (let i = 0; i < 40; i++) {
  let t = performance.now(); await a.run({ input_1: ta }); A.push(performance.now() - t);
  t = performance.now(); await b.run({ 'input_1:0': tb }); B.push(performance.now() - t);
}
const med = (x: number[]) => x.slice().sort((p, q) => p - q)[x.length >> 1];
console.log('ours', med(A).toFixed(2), 'obs', med(B).toFixed(2));
