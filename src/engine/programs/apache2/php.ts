/**
 * php — PHP 5.6's command-line interpreter (/usr/local/bin/php in the php images): `php FILE` runs a
 * script, `php -r CODE` runs code given without its `<?php` tag, `php -v` prints the version banner. The
 * script runs in the Zend Engine subset of zend.ts and its CPU time is burnt on the process through the
 * host's scheduler before its output is written, so `time php index.php` in a throttled container takes
 * longer than the CPU it uses. With no php.ini, errors are displayed on stdout (`PHP Parse error: …`
 * also logged to stderr) and end the run with status 255.
 *
 * Left out: reading a script from stdin, `-a`, `-S`, `-i`, `-m`, `-d` and the other options, $argv.
 */
import { KernelError } from '../../kernel/errno.ts';
import type { Host } from '../../kernel/host.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import { AddressSpace } from '../addressSpace.ts';
import { burnCpu } from '../burnCpu.ts';
import { PHP_VERSION, REQUEST_NS, runCostNs, runPhp } from './zend.ts';

/** `php -v`, as the image's build prints it. */
const BANNER = `PHP ${PHP_VERSION} (cli) (built: Feb  5 2016 20:42:25) \nCopyright (c) 1997-2016 The PHP Group\nZend Engine v2.6.0, Copyright (c) 1998-2016 Zend Technologies\n`;

export class PhpCli implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    const { process } = sys;
    const { stdout, stderr } = process.stdio;
    const args = process.argv.slice(1);
    let source: string;
    let file: string;
    if (args[0] === '-v') {
      stdout.write(BANNER);
      return sys.exit(0);
    }
    if (args[0] === '-r') {
      if (args[1] === undefined) return this.usage(sys);
      source = `<?php ${args[1]}`;
      file = 'Command line code';
    } else if (args[0] !== undefined && !args[0].startsWith('-')) {
      file = args[0];
      try {
        source = this.host.vfsFor(process).readFile(file);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        stdout.write(`Could not open input file: ${file}\n`);
        return sys.exit(1);
      }
    } else return this.usage(sys);
    new AddressSpace(this.host, process, { vszKb: 118_512, rssKb: 13_604 });
    const run = runPhp(source, file);
    burnCpu(this.host, sys, REQUEST_NS + runCostNs(run), () => {
      stdout.write(run.output);
      if (!run.error) return sys.exit(0);
      const { kind, message, line } = run.error;
      stderr.write(`PHP ${kind}:  ${message} in ${file} on line ${line}\n`);
      stdout.write(`\n${kind}: ${message} in ${file} on line ${line}\n`);
      sys.exit(255);
    });
  }

  private usage(sys: ProgramContext): void {
    sys.process.stdio.stdout.write('Usage: php [options] [-f] <file> [--] [args...]\n   php [options] -r <code> [--] [args...]\n');
    sys.exit(1);
  }
}
