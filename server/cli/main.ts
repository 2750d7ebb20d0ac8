import 'server-only';
import { Command } from 'commander';
import { registerAlerts } from './commands/alerts';
import { registerCosts } from './commands/costs';
import { registerData } from './commands/data';
import { registerDb, registerHealth } from './commands/db';
import { registerDeployments } from './commands/deployments';
import { registerKeys } from './commands/keys';
import { registerMetrics } from './commands/metrics';
import { registerMl } from './commands/ml';
import { registerModels } from './commands/models';
import { registerPipeline } from './commands/pipeline';
import { registerRuns } from './commands/runs';
import { registerUp } from './commands/up';
import { registerUsers } from './commands/users';

/**
 * `npm run mlops -- <command>`: the platform's command line. Works whether or not
 * the web app is running: it uses the running embedded database or starts one for
 * the duration of the command (DATABASE_URL overrides both).
 */
const program = new Command('mlops')
  .description('PriceSense MLOps control plane — command line')
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText('after', '\nExamples:\n  npm run mlops -- users create --email ana@example.com --role ml_engineer\n  npm run -s mlops -- keys create --name ci --scopes read,write --json\n  npm run mlops -- health');

program.exitOverride((error) => {
  // Help and version output are not errors; anything else is a usage error.
  process.exit(error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2);
});

// Registered after exitOverride so subcommands inherit it.
registerUp(program);
registerUsers(program);
registerData(program);
registerMl(program);
registerRuns(program);
registerModels(program);
registerDeployments(program);
registerMetrics(program);
registerCosts(program);
registerAlerts(program);
registerKeys(program);
registerDb(program);
registerHealth(program);
registerPipeline(program);

await program.parseAsync(process.argv);
