#!/usr/bin/env node
// `npm run bench`: the benchmark suite side by side with LiveStore (issue 8). Not written yet.
console.log('no benchmarks yet: the benchmark suite (bench/) is not written yet');
