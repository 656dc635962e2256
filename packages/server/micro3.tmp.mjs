import { createActor } from 'xstate';
const { requestMachine } = await import(process.argv[2]);
const N = Number(process.argv[3]);
const limits = { inlineMaxN: 4000000, maxN: 1e12, maxBatch: 1000 };
for (let i = 0; i < N; i++) { const a = createActor(requestMachine, { input: { requestId: 'r', request: { method: 'Add', a: 2n, b: 5n }, limits, deadline: 1e15 } }); a.start(); if (a.getSnapshot().output.reply.sum !== 7n) throw new Error('bad'); }
