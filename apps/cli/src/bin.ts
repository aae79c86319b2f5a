import { Command } from 'commander';
import { startCommand } from './commands/start';
import { factoryCreateCommand } from './commands/factory-create';

const program = new Command()
  .name('gansight')
  .description('Gansight: visual inspection by GAN inversion')
  .showHelpAfterError();

program.command('start').description('run the whole platform on this machine (database, storage, API, worker, dashboard)').action(startCommand);

const factory = program.command('factory').description('manage factories (tenants)');
factory
  .command('create')
  .description('create a factory with its first admin and an API key; prints JSON credentials')
  .requiredOption('--name <name>', 'factory name')
  .requiredOption('--admin-email <email>', 'email of the first admin user')
  .requiredOption('--admin-password <password>', 'password of the first admin user (at least 10 characters)')
  .option('--slug <slug>', 'URL-safe short name (default: derived from the name)')
  .action(factoryCreateCommand);

await program.parseAsync(process.argv);
