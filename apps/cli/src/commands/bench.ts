// `gansight bench [--size 64 --nf 32 ...]`: the benchmark of BENCHMARK.md; progress on stderr,
// the JSON line (the peer's keys) last on stdout so runs can be compared side by side.
import { parseBenchmarkArgs, runBenchmark } from '@gansight/ml';

/** Runs the benchmark with the peer's flags (everything after `bench` on the command line). */
export async function benchCommand(argv: string[]): Promise<void> {
  let args;
  try {
    args = parseBenchmarkArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nflags: --size --nf --batch --zdim --channels --steps --inv-iters --loss lap1|l1 --threads --backend\n`);
    process.exit(2);
  }
  const result = await runBenchmark(args, (m) => process.stderr.write(`${m}\n`));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
