// `gansight bench [--size 64 --nf 32 ...]`: the speed benchmark of packages/ml/bench/README.md;
// progress on stderr, the JSON line (the peer's keys) last on stdout so runs can be compared
// side by side.
import { parseBenchmarkArgs, runBenchmark } from '@gansight/ml';

const FLAGS = '--size --nf --batch --zdim --channels --steps --inv-iters --loss lap1|l1 --threads --backend';

// What `gansight bench --help` prints: the flags and what each figure of the JSON line means,
// in the words of packages/ml/bench/README.md (the repository's own description).
const HELP = `Usage: gansight bench [flags]

Trains and inverts a DCGAN on random images; progress on stderr, one JSON line last on stdout.
Flags, keys and network are those of the PyTorch peer, so one line from each, run side by side
on one machine, can be divided key by key (packages/ml/bench/side-by-side.sh).

Flags (defaults): --size 64  --nf 32  --batch 16  --zdim 100  --channels 1
  --steps 5 (timed training steps, after one warm-up)  --inv-iters 10 (timed inversion iterations)
  --loss lap1|l1  --threads 2  --backend auto|tensorflow|wasm|cpu

JSON line:
  framework                    tfjs-<version>-<backend>
  threads size nf batch channels loss   the settings the run used
  train_step_ms                one training step (a D update, then a G update), mean
  train_images_per_s           batch * 1000 / train_step_ms
  inversion_ms_per_image_iter  one inversion iteration (SGD step on z) divided by batch, mean
  peak_rss_mb                  peak resident memory of the process, MiB

More: packages/ml/bench/README.md; results: docs/PERFORMANCE.md.
`;

/** Runs the benchmark with the peer's flags (everything after `bench` on the command line). */
export async function benchCommand(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  let args;
  try {
    args = parseBenchmarkArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nflags: ${FLAGS}\n`);
    process.exit(2);
  }
  const result = await runBenchmark(args, (m) => process.stderr.write(`${m}\n`));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
