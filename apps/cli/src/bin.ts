import { Command } from 'commander';

const program = new Command()
  .name('gansight')
  .description('Gansight: visual inspection by GAN inversion')
  .showHelpAfterError();

// Every command imports its module lazily, so `factory create` does not load TensorFlow.js
// and `train` does not load the API or the database.
program
  .command('start')
  .description('run the whole platform on this machine (database, storage, API, worker, dashboard)')
  .action(async () => (await import('./commands/start')).startCommand());

program
  .command('worker')
  .description('run only a queue worker (for extra worker machines; needs DATABASE_URL in production)')
  .action(async () => (await import('./commands/worker')).workerCommand());

const factory = program.command('factory').description('manage factories (tenants)');
factory
  .command('create')
  .description('create a factory with its first admin and an API key; prints JSON credentials')
  .requiredOption('--name <name>', 'factory name')
  .requiredOption('--admin-email <email>', 'email of the first admin user')
  .requiredOption('--admin-password <password>', 'password of the first admin user (at least 10 characters)')
  .option('--slug <slug>', 'URL-safe short name (default: derived from the name)')
  .action(async (o) => (await import('./commands/factory-create')).factoryCreateCommand(o));
factory
  .command('quotas')
  .description("show or set a factory's quotas (the operator's overrides of the QUOTA_* defaults); prints JSON")
  .argument('<factory>', 'factory id or slug')
  .option('--max-stored-images <n>', 'images stored, 0: no limit, "default": the QUOTA_MAX_STORED_IMAGES default')
  .option('--max-concurrent-training-runs <n>', 'training runs queued or running at once, 0: no limit, "default"')
  .option('--max-inspections-per-minute <n>', 'inspections submitted per minute, 0: no limit, "default"')
  .action(async (f: string, o) => (await import('./commands/factory-quotas')).factoryQuotasCommand(f, o));

program
  .command('inspect')
  .description('inspect images through the API: upload, submit, wait for the verdicts (progress bar on stderr), print JSON')
  .argument('<images...>', 'image files (PNG, JPEG, WebP, TIFF, GIF)')
  .requiredOption('--api <url>', 'GraphQL endpoint or API origin, e.g. http://localhost:4000')
  .option('--key <key>', 'API key with images:write, inspections:write and results:read (default: GANSIGHT_API_KEY)')
  .requiredOption('--product <id>', 'product id')
  .option('--line <line>', 'production line, recorded with each image and inspection')
  .option('--station <station>', 'station on the line')
  .option('--idempotency-prefix <prefix>', "prefix of each idempotency key (the rest is the file's sha256, so a rerun inspects nothing twice)", 'cli-')
  .option('--timeout <seconds>', 'give up waiting for verdicts after this long', '600')
  .option('--poll', 'poll for verdicts instead of subscribing over WebSocket')
  .action(async (images: string[], o) => (await import('./commands/inspect')).inspectCommand(images, o));

// ML commands import their modules lazily: `train` should not load the API or the database.
program
  .command('train')
  .description('train a GAN on a folder dataset (MVTec AD layout: train/good) and calibrate it on held-out qualified images')
  .requiredOption('--data <dir>', 'dataset folder with train/good/')
  .requiredOption('--out <dir>', 'model folder (checkpoints, samples, model.json/model.bin)')
  .option('--model <kind>', 'patch (the GAN on tiles of each image at --scale, plus a learned defect map) | whole (the paper\'s model: every image squashed to --size)', 'patch')
  .option('--scale <factor>', 'patch models: working scale of the images, (0, 1] (1 = native resolution)', '0.5')
  .option('--patch <px>', 'patch models: tile side, 32, 64 or 128', '64')
  .option('--stride <px>', 'patch models: distance between tiles at inspection (default: the patch, tiles side by side)')
  .option('--flips <on|off>', 'patch models: train on mirrored crops too', 'on')
  .option('--defect-map <on|off>', 'patch models: train the learned defect map', 'on')
  .option('--defect-map-steps <n>', 'patch models: defect map training steps', '1000')
  .option('--defect-map-nf <n>', 'patch models: defect map base filter count', '8')
  .option('--size <px>', 'whole-image models: image side, 32, 64 or 128', '64')
  .option('--channels <n>', '1 (grayscale) or 3', '1')
  .option('--steps <n>', 'training steps', '2000')
  .option('--batch <n>', 'images per step', '16')
  .option('--nf <n>', 'base filter count of G and D', '32')
  .option('--zdim <n>', 'latent size', '100')
  .option('--seed <n>', 'random seed (data split, weights, batches)', '0')
  .option('--lr <rate>', 'Adam learning rate', '0.0002')
  .option('--checkpoint-every <n>', 'steps between checkpoints', '100')
  .option('--sample-every <n>', 'steps between sample grids (MODEL_DIR/samples)', '250')
  .option('--validation <share>', 'share of train/good held out for calibration', '0.15')
  .option('--validation-data <dir>', "calibrate on this folder's train/good (e.g. parts kept apart from training) instead of a share of --data's")
  .option('--mode <mode>', 'resize | center-crop | pad', 'resize')
  .option('--intensity <mode>', 'per-image (standardise each image\'s brightness) | raw', 'per-image')
  .option('--backend <name>', 'auto | tensorflow | wasm | cpu', 'auto')
  .option('--threads <n>', 'CPU threads for the backend', '2')
  .option('--encoder-steps <n>', 'encoder training steps after the GAN (0: no encoder)', '600')
  .option('--inv-iters <n>', 'inversion iterations used for scoring (default: 100 for whole-image models, 0 for patch models: each tile starts and stays at its encoder\'s inversion)')
  .option('--false-alarm-rate <rate>', 'target share of qualified images flagged', '0.05')
  .option('--resume', 'continue from MODEL_DIR/checkpoint.json')
  .option('--gan-only', 'stop after the GAN (run again with --resume to fit the encoder and calibrate)')
  .option('--combine <kinds>', 'score kinds averaged (as z-scores) into the combined score that decides verdicts, comma-separated (default: localFeatureDensity,featureDensity when both densities fit)')
  .option('--d-statistics <kind>', "D's BatchNorm statistics for the feature scores: precise (recomputed over the training images) | running", 'running')
  .action(async (o) => (await import('./commands/train')).trainCommand(o));

program
  .command('evaluate')
  .description('evaluate a trained model on test/ of a folder dataset: JSON report, table, pictures; baselines on the same split')
  .requiredOption('--model <dir>', 'model folder written by gansight train')
  .requiredOption('--data <dir>', 'dataset folder with train/good, test/good, test/<defect>, ground_truth/<defect>')
  .option('--out <dir>', 'report folder (default: MODEL_DIR/report)')
  .option('--inv-iters <n>', 'override the inversion iterations stored in the calibration')
  .option('--no-encoder', 'start inversions from random latents even when the model has an encoder')
  .option('--no-baselines', 'skip the baselines (PCA + GMM / one-class SVM / LOF at 64 px, patch nearest neighbour at a short side of 128 px)')
  .option('--limit <n>', 'evaluate at most this many test images per group (quick looks)')
  .option('--tsne-samples <n>', 'generated and real images in the t-SNE plot (each)', '64')
  .option('--backend <name>', 'auto | tensorflow | wasm | cpu', 'auto')
  .option('--threads <n>', 'CPU threads for the backend', '2')
  .action(async (o) => (await import('./commands/evaluate')).evaluateCommand(o));

program
  .command('calibrate')
  .description('set a trained model\'s verdict threshold again on labelled images (test/good and test/<defect> of DIR, apart from the set you evaluate on); progress bar, JSON last')
  .requiredOption('--model <dir>', 'model folder written by gansight train (its model.json is rewritten in one step)')
  .requiredOption('--data <dir>', 'folder dataset whose test/good and test/<defect_type> images are the labelled set (train/good may be empty)')
  .option('--rule <rule>', 'f1 (F1-optimal on the labelled images) | false-alarm (quantile of their qualified scores)', 'f1')
  .option('--false-alarm-rate <rate>', 'target share of qualified images flagged, with --rule false-alarm (default: the model\'s)')
  .option('--dry-run', 'print what the new threshold does, change nothing')
  .option('--backend <name>', 'auto | tensorflow | wasm | cpu', 'auto')
  .option('--threads <n>', 'CPU threads for the backend', '2')
  .action(async (o) => (await import('./commands/calibrate')).calibrateCommand(o));

program
  .command('bench')
  .description('benchmark training and inversion against the PyTorch peer (--size --nf --batch --zdim --channels --steps --inv-iters --loss --threads --backend; gansight bench --help says what the figures mean); JSON last')
  .allowUnknownOption()
  .allowExcessArguments()
  .helpOption(false)
  .action(async () => (await import('./commands/bench')).benchCommand(process.argv.slice(process.argv.indexOf('bench') + 1)));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Typed errors (bad images, damaged models, bad input) carry a message a user can act on.
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[A-Z_]+$/.test(code)) throw error;
  process.stderr.write(`${code}: ${(error as Error).message}\n`);
  process.exit(2);
}
// The wasm backend's thread pool keeps the process alive after an ML command.
if (['train', 'evaluate', 'calibrate', 'bench'].includes(process.argv[2] ?? '')) process.exit(process.exitCode ?? 0);
