// CLI: node --import tsx packages/ml/bench/bench.ts --size 64 --nf 32 --batch 16 --threads 2
// Prints progress to stderr and one JSON line (the peer's keys) last on stdout.
import { parseBenchmarkArgs, runBenchmark } from '../src/bench/run-benchmark';

const args = parseBenchmarkArgs(process.argv.slice(2));
const result = await runBenchmark(args, (m) => process.stderr.write(`${m}\n`));
process.stdout.write(`${JSON.stringify(result)}\n`);
// The wasm thread pool keeps worker threads alive; the benchmark is done.
process.exit(0);
