// Runs the CLI in this process and reports its peak resident memory on the last line of stderr,
// so a test can bound the memory of a whole command without timing anything.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../../src/cli/main.ts');
const code = await main(['node', 'xietong', ...process.argv.slice(2)]);
process.stderr.write(`\nmaxRSS_KB=${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
