#!/usr/bin/env node
/**
 * The `carecast` command line.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CarecastInputError } from '../data/errors.js';
import { SEED_NAMES } from '../data/seeds.js';
// each command's module (and what it needs) loads only when that command runs
import type { BacktestCommandOptions } from './backtest.js';
import type { CostsCommandOptions } from './costs.js';
import type { ProjectCommandOptions } from './project.js';

// output piped into a program that stops reading (`carecast ... | head`) ends quietly
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const program = new Command();
program
  .name('carecast')
  .version(pkg.version)
  .description('Forecast demand for children\u2019s social care placements in English local authorities.')
  .showHelpAfterError()
  // usage errors (an unknown command or option, a missing value) are bad input too: exit 2 (see the end)
  .exitOverride();

// long work shows a progress bar on standard error when it is a terminal (src/cli/progress.ts); this turns it off
program.option('--no-progress', 'draw no progress bar (also CARECAST_NO_PROGRESS=1); a bar is only ever drawn on a terminal, on standard error');
program.hook('preAction', () => {
  if (program.opts<{ progress?: boolean }>().progress === false) process.env.CARECAST_NO_PROGRESS = '1';
});

/** `--seed`: a bundled seed dataset's name; a number is a random seed given to the wrong option. */
function seedName(v: string): string {
  if ((SEED_NAMES as readonly string[]).includes(v)) return v;
  if (/^-?\d+$/.test(v.trim())) throw new InvalidArgumentError(`--seed names a bundled seed dataset (${SEED_NAMES.join(', ')}); for the random seed of the simulated paths use --random-seed ${v.trim()}.`);
  throw new InvalidArgumentError(`Allowed choices are ${SEED_NAMES.join(', ')}.`);
}

/** The options naming one area's data source, shared by the commands that read one. */
function withSourceOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--seed <name>', `a bundled seed dataset: ${SEED_NAMES.join(', ')} (the random seed of the paths is --random-seed)`).argParser(seedName))
    .option('--dfe <file>', 'a DfE "children looked after" number-and-rate CSV (Explore Education Statistics format), with --la')
    .option('--tidy <file>', 'a tidy CSV (area,measure,kind,unit,frequency,period,breakdown,value,...), with --la')
    .option('--la <name>', 'local authority (or England, or a region): name, ONS code or DfE code; alone, from the DfE data bundled with carecast (2011-2024); with --dfe or --tidy, from that file')
    .option('--ssda903 <dir>', 'a folder of SSDA903 returns (episodes, header, uasc CSVs): series derived from the episodes')
    .option('--lenient', 'with --ssda903: leave bad rows out (listed) instead of failing')
    .addOption(
      new Option('--open-episodes <rule>', 'with --ssda903: an episode open at the end of its return and missing from later returns: keep (the child is still looked after) or close (on 1 April after the return; right only when later returns are complete)')
        .choices(['keep', 'close'])
        .default('keep'),
    )
    .option('--today <date>', 'with --ssda903: the day dates are checked against (a date after it cannot be true); default the day it runs');
}

/** The options of the simulated paths, shared by the commands that make them (the same values give the same paths through each). */
function withPathOptions(cmd: Command): Command {
  return cmd
    .option('--paths <n>', 'simulated paths of the system projection, 100 to 20,000 (default 2000)')
    .option('--random-seed <n>', 'random seed of the simulated paths (default 1: the same seed gives the same numbers)')
    .option('--split-uasc', 'with --ssda903: model unaccompanied asylum-seeking children and the others apart, and break the projection down by UASC status (needs the returns\u2019 uasc CSVs)');
}

withPathOptions(
  withSourceOptions(
    program.command('project').description('Project the care system (children in care, flows, placements, providers), or one annual measure, to a target year, with prediction intervals.'),
  ),
)
  .option('--measure <name>', 'measure to project', 'children_in_care')
  .option('--to <year>', 'last year to project (default: last observed year + 10; at most 30 years after it)')
  .option('--from <year>', 'ignore data before this year')
  .option('--until <year>', 'ignore data after this year (e.g. a statement\u2019s base year)')
  .option('--method <name>', 'evidence (default: the strategy the bundled DfE panel evidence picks for the measure) | auto (this series\u2019 own choice) | naive | drift | linear | loglinear | dampedTrend | repeatGrowth | theta | panelGrowth | panelAR | panelGrowthRate | panelARRate (global methods: the bundled DfE fit; the rate ones need the area\u2019s 0-17 population, as --la has)')
  .option('--levels <list>', 'prediction interval levels in percent', '80,95')
  .option('--intervals <kind>', 'conformal (pooled over every DfE LA\u2019s backtest errors of the method in use; levels 50/80/90/95) | analytic | bootstrap (default: a global method\u2019s own pooled bands where one forecast the series, else pooled conformal where bundled, else analytic)')
  .option('--evidence <source>', 'the panel evidence to follow: dfe (the default: which method forecast the measure best across every DfE LA) or a JSON file from panelEvidence()')
  .option('--band <pct>', 'add a flat \u00b1 band, e.g. 5% (the seed documents\u2019 "5% variation")')
  .option('--window <years>', 'repeatGrowth: years the growth is measured over (default 5)')
  .option('--round-percent <digits>', 'repeatGrowth: round the growth percentage as published (0 = whole percent)')
  .option('--out <dir>', 'folder for the CSV and SVG outputs', 'out')
  .option('--no-write', 'print only; write no files')
  .option('--report', 'also write a self-contained HTML report (charts, table, method, caveats, provenance)')
  .option('--xlsx', 'also write an Excel workbook: the mission table, the projection records, assumptions, caveats, provenance (with --method: the series\u2019 records)')
  .option('--json', 'print the projection as JSON')
  .addHelpText(
    'after',
    `
Default (children in care, no --method): the whole system from one set of paths (carecast's system model):
children in care (anchored to the default forecast below), starters, leavers, placement groups (fostering;
residential = children's homes and secure + independent/semi-independent and supported) and providers
(in-house; external = private, voluntary, other LA), with 80%/95% bands, the % change from the base year and
any % changes the source's documents published. It writes the tidy records (CSV), the fan chart (SVG) and
the HTML report (with the same table); --xlsx adds a workbook; --json prints the records. With --method
(or another single-series option) one series is projected and the output says how its total differs from
the system projection's.

With --ssda903 DIR the same table, records, chart and report come from the episode model: the children in
the returns simulated one by one (rates per child-day at risk by age band and placement x provider group,
fitted on the returns up to --until, held constant), every point a path median (no anchored forecast), and
the data-quality report beside them; --split-uasc models UASC children apart and adds the UASC split.

Single-series defaults: with --method evidence and no --intervals, the method is the one the bundled DfE panel evidence picks
for the measure (children in care: panelGrowth, a global method; started, ceased: naive; for another measure
each series chooses by its own errors, as --method auto). The 80%/95% bands: where a global method forecast
the series, its own pooled bands (log-normal, the spread read off its errors 1-8 years ahead across every DfE
LA); else pooled conformal, calibrated on the method's errors across every DfE LA and extrapolated beyond
the calibrated steps. On the DfE panel, origins 2014-2023, the global methods' own bands held 86-87%/95% at
80%/95% 1-3 years ahead and 83-85%/92-94% 4-8 years ahead, where pooled conformal bands as known held
84-94%/99-100%; that choice was made after seeing those results (post hoc: benchmarks/RESULTS.md, "Accuracy
on the DfE panel (issue 12)"). --intervals conformal gives the pooled conformal bands. The line under the
title says which method, on what evidence, and what the bands rest on.

Examples:
  carecast project --la "Derby" --to 2030
  carecast project --seed derbyshire --to 2035
  carecast project --seed derbyshire --to 2030 --intervals conformal   # the same method, pooled conformal bands
  carecast project --seed derbyshire --to 2030 --method auto --intervals analytic   # this series' own choice, the model's bands
  carecast project --seed derbyshire --until 2023 --to 2035 --method repeatGrowth --round-percent 0 --band 5%
  carecast project --dfe cla_number_and_rate_per_10k_children.csv --la "Derby" --to 2030
  carecast project --ssda903 path/to/ssda903 --la "My LA" --to 2030   # the episode model's system projection
  carecast project --ssda903 path/to/ssda903 --la "My LA" --to 2026 --method naive`,
  )
  .action(async (opts: ProjectCommandOptions) => {
    const { runProject } = await import('./project.js');
    const result = await runProject(opts);
    process.stdout.write(`${result.text}\n`);
  });

withSourceOptions(
  program
    .command('backtest')
    .description('How accurate would each method have been? Rolling-origin forecasts scored against what happened (MASE, coverage, Winkler score, CRPS).'),
)
  .option('--panel [dir]', 'backtest every LA of the DfE panel: alone (or "dfe") the panel bundled with carecast, or a folder of raw DfE files (sfr_la_cla_2011_2017/ and the EES files)')
  .option('--measure <name>', 'measure to backtest (single series)', 'children_in_care')
  .option('--methods <list>', 'methods to compare (dampedTrend needs 10 training years and theta 7, so adding them moves every origin later)', 'naive,drift,linear,loglinear,repeatGrowth,auto')
  .option('--horizon <years>', 'longest forecast step', '3')
  .option('--evidence <source>', 'auto follows panel evidence: as-known (with --panel: at each origin, the panel\u2019s own errors known by then), dfe, or a JSON file from panelEvidence()')
  .option('--save-evidence', 'with --panel: build panel evidence from every listed method\u2019s backtest (which one method, or auto per area, forecast best) and write <out>/dfe-panel-evidence.json, for project --evidence')
  .option('--levels <list>', 'interval levels in percent', '80,95')
  .option('--intervals <kind>', 'the bands scored: analytic (default: each model\u2019s own; a global method\u2019s own pooled bands) | bootstrap | conformal (each training slice\u2019s own errors)')
  .option('--out <dir>', 'folder for the CSV outputs', 'out')
  .option('--no-write', 'print only; write no files')
  .option('--json', 'print the metrics as JSON')
  .addHelpText(
    'after',
    `
Examples:
  carecast backtest --seed derbyshire --methods naive,drift,auto
  carecast backtest --panel --horizon 3
  carecast backtest --seed derbyshire --methods naive,drift --intervals bootstrap
  carecast backtest --panel path/to/dfe        # a folder of raw DfE files (SFR tables, EES files)
  carecast backtest --panel --save-evidence    # then: carecast project ... --evidence out/dfe-panel-evidence.json`,
  )
  .action(async (opts: BacktestCommandOptions) => {
    const { runBacktest } = await import('./backtest.js');
    process.stdout.write(`${runBacktest(opts).text}\n`);
  });

withPathOptions(
  withSourceOptions(
    program
      .command('costs')
      .alias('scenario')
      .description('Placement costs per financial year with P10/P50/P90, capacity and sufficiency, and what-if scenarios compared with the base, on the paths of the system projection (carecast project) of the same source, years, paths and random seed.'),
  ),
)
  .option('--costs <file>', 'cost model JSON (weekly costs per group of its dimension, price year, inflation, capacity)')
  .option('--scenarios <file>', 'scenarios JSON: [{ name, levers: [{ kind: "admissions" | "uasc" | "exitRate" | "stepDown" | "capacity" | "costInflation", ... }] }]')
  .option('--to <year>', 'last year to project (default: last observed year + 10; at most 30 years after it)')
  .option('--until <year>', 'ignore data after this year, as project --until does (the same paths as project with the same --until)')
  .option('--out <dir>', 'folder for the outputs', 'out')
  .option('--no-write', 'print only; write no files')
  .option('--xlsx', 'also write an Excel workbook')
  .option('--report', 'also write a self-contained HTML report (group mix, costs, scenarios, caveats, provenance)')
  .option('--json', 'print the costs as JSON')
  .addHelpText(
    'after',
    `
The source options are project's: --la alone (the bundled DfE panel), --seed (the seed's area in the panel),
--tidy or --dfe with --la (children_in_care, started, ceased totals and children_in_care by the cost model's
dimension), or --ssda903 (the episode model: dimensions placement, provider, age and placement_provider, whose
groups are fostering/in_house ... other/other). The random seed is --random-seed (--seed names a bundled seed).

Examples:
  carecast costs --tidy examples/data/derbyshire-finance.csv --la Derbyshire --costs examples/data/derbyshire-costs.json --to 2035
  carecast costs --ssda903 path/to/ssda903 --costs placement-costs.json --to 2030 --random-seed 7
  carecast scenario --tidy examples/data/derbyshire-finance.csv --la Derbyshire --costs examples/data/derbyshire-costs.json \\
    --scenarios examples/data/derbyshire-scenarios.json --to 2035 --xlsx`,
  )
  .action(async (opts: CostsCommandOptions) => {
    const { runCosts } = await import('./costs.js');
    process.stdout.write(`${(await runCosts(opts)).text}\n`);
  });

// The error contract: bad input exits with code 2 and a message naming the source, row, field and fix;
// nothing else prints a stack trace either (CARECAST_DEBUG=1 shows it, for a bug report).
try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // commander has printed its message (and the help); --help and --version end here with 0
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof CarecastInputError) {
    process.stderr.write(`carecast: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    const debug = process.env.CARECAST_DEBUG !== undefined && process.env.CARECAST_DEBUG !== '' && process.env.CARECAST_DEBUG !== '0';
    const err = e as Error;
    process.stderr.write(
      debug
        ? `carecast: ${err.stack ?? String(e)}\n`
        : `carecast: unexpected error: ${err.message ?? String(e)}\nThis is a bug in carecast, not in your input; run again with CARECAST_DEBUG=1 for the details to report it.\n`,
    );
    process.exitCode = 1;
  }
}
