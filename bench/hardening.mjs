#!/usr/bin/env node
// The long versions of the hardening checks (run through bench/run.sh, which
// builds what they need; the test command runs the short ones):
//   sanitizers  the Catch2 suite built with ASan and UBSan (build-sanitize/)
//   fuzz        the libFuzzer target (tests/fuzz/fuzz_session.cpp) for 10⁶
//               executions, one process a core, from tests/fuzz/corpus
//   page        the page's fuzzing in Chromium: 10⁴ URL hashes, 3,000 API calls,
//               3,000 postMessage payloads (tests/browser/pagefuzz.mjs)
//   soak        ten minutes of the soak (tests/browser/soak.mjs)
// Each part's figures go to bench/hardening.json (a part not run keeps its last
// figures, with their date) and into the hardening section of bench/README.md.
//   usage: node bench/hardening.mjs [--parts sanitizers,fuzz,page,soak]
//          [--executions N] [--hashes N] [--calls N] [--messages N] [--soak-seconds N]
//          node bench/hardening.mjs --readme     (only the README section, from the JSON)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench/out');
const args = process.argv.slice(2);
const KNOWN = ['--parts', '--executions', '--hashes', '--calls', '--messages', '--soak-seconds'];
// --readme: only rewrite bench/README.md's section from bench/hardening.json.
const README_ONLY = args[0] === '--readme';
if (README_ONLY) args.shift();
function usage(problem) {
  console.error(`bench/hardening.mjs: ${problem}\nusage: node bench/hardening.mjs [--readme | [--parts sanitizers,fuzz,page,soak] [--executions N] [--hashes N] [--calls N] [--messages N] [--soak-seconds N]]`);
  process.exit(2);
}
for (let i = 0; i < args.length; i += 2) {
  if (!KNOWN.includes(args[i])) usage(`unknown option '${args[i]}'`);
  if (args[i + 1] === undefined) usage(`${args[i]} needs a value`);
}
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const count = (name, fallback, min = 1) => {
  const v = Number(option(name, fallback));
  if (!Number.isInteger(v) || v < min) usage(`${name} must be a whole number ≥ ${min} (got '${option(name, fallback)}')`);
  return v;
};
const PARTS = option('--parts', 'sanitizers,fuzz,page,soak').split(',');
const EXECUTIONS = count('--executions', 1e6);
const HASHES = count('--hashes', 1e4, 100);
const CALLS = count('--calls', 3000, 100);
const MESSAGES = count('--messages', 3000, 100);
const SOAK_SECONDS = count('--soak-seconds', 600, 40);
const log = (...m) => console.log('[hardening]', ...m);
const resultsPath = join(root, 'bench/hardening.json');

/** Runs a command; resolves with its status, output and seconds (the output also streams to a log file). */
function run(cmd, argv, { env = {}, logFile } = {}) {
  return new Promise((resolvePromise) => {
    const t0 = Date.now();
    const child = spawn(cmd, argv, { cwd: out, env: { ...process.env, ...env } });
    let text = '';
    child.on('error', (e) => { text += `could not run ${cmd}: ${e.message}\n`; });
    const keep = (d) => { text += d; };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (status) => {
      if (logFile) writeFileSync(logFile, text);
      resolvePromise({ status, text, seconds: Math.round((Date.now() - t0) / 1000) });
    });
  });
}

const PART = {
  async sanitizers() {
    const r = await run(join(root, 'build-sanitize/tests/core/core_tests'), [], { logFile: join(out, 'sanitizers.log') });
    const cases = /in (\d+) test cases/.exec(r.text)?.[1];
    const reports = (r.text.match(/ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/g) ?? []).length;
    return { passed: r.status === 0, testCases: Number(cases), sanitizerReports: reports, seconds: r.seconds };
  },

  async fuzz() {
    const jobs = cpus().length;
    const corpus = join(out, 'fuzz-corpus');
    mkdirSync(corpus, { recursive: true });
    const runs = Math.ceil(EXECUTIONS / jobs);
    const results = await Promise.all(Array.from({ length: jobs }, (_, k) => run(join(root, 'build-sanitize/tests/fuzz/fuzz_session'),
      [`-runs=${runs}`, `-seed=${k + 1}`, '-print_final_stats=1', `-artifact_prefix=${out}/`, corpus, join(root, 'tests/fuzz/corpus')],
      { logFile: join(out, `fuzz-${k + 1}.log`) })));
    const stat = (r, name) => Number(new RegExp(`stat::${name}:\\s+(\\d+)`).exec(r.text)?.[1] ?? NaN);
    const coverage = results.map((r) => Number(/DONE\s+cov: (\d+)/.exec(r.text)?.[1] ?? NaN));
    return {
      passed: results.every((r) => r.status === 0),
      executions: results.reduce((s, r) => s + stat(r, 'number_of_executed_units'), 0),
      processes: jobs,
      executionsPerSecond: results.reduce((s, r) => s + stat(r, 'average_exec_per_sec'), 0),
      edges: Math.max(...coverage),
      newInputs: results.reduce((s, r) => s + stat(r, 'new_units_added'), 0),
      peakRssMb: Math.max(...results.map((r) => stat(r, 'peak_rss_mb'))),
      crashes: results.filter((r) => r.status !== 0).map((r) => /Test unit written to (\S+)/.exec(r.text)?.[1] ?? `status ${r.status}`),
      seconds: Math.max(...results.map((r) => r.seconds)),
    };
  },

  async page() {
    const r = await run('node', ['--test', '--test-reporter=tap', join(root, 'tests/browser/pagefuzz.test.mjs')], {
      env: { GRADLAB_SITE: join(root, 'build-wasm/site'), GRADLAB_TEST_OUTPUT: out,
        GRADLAB_FUZZ_HASHES: HASHES, GRADLAB_FUZZ_CALLS: CALLS, GRADLAB_FUZZ_MESSAGES: MESSAGES },
      logFile: join(out, 'pagefuzz.log'),
    });
    const count = (re) => Number(re.exec(r.text)?.[1] ?? NaN);
    return {
      passed: r.status === 0,
      hashes: HASHES,
      calls: CALLS,
      callsRejected: count(/API calls \(seed \d+\): (\d+) rejected/),
      messages: MESSAGES,
      failures: count(/# fail (\d+)/),
      seconds: r.seconds,
    };
  },

  async soak() {
    const { launch, openPage, startServer } = await import('../tests/browser/browser.mjs');
    const { CYCLE, HOME_TRAIN_MS, soak, soakProblems } = await import('../tests/browser/soak.mjs');
    const server = await startServer(join(root, 'build-wasm/site'));
    const context = await launch();
    try {
      const { page, errors } = await openPage(context, `${server.lab}#pace=full`);
      const r = await soak(page, context, { durationMs: SOAK_SECONDS * 1000 });
      const problems = [...errors, ...soakProblems(r)];
      const cycle = CYCLE.map((c) => (typeof c === 'string' ? `preset ${c}` : Object.entries(c).map(([key, v]) => `${key}=${v}`).join(', ')));
      return { passed: problems.length === 0, problems, cycle, homeTrainMs: HOME_TRAIN_MS, ...r };
    } finally {
      await context.close();
      server.server.close();
    }
  },
};

// ---------------------------------------------------------------- the README section
const MB = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
const signedMB = (bytes) => (Math.round(bytes / 2 ** 20 * 100) === 0 ? '0 MiB' : `${bytes > 0 ? '+' : '−'}${MB(Math.abs(bytes))}`);
const n = (x) => Number(x).toLocaleString('en-US');

function section(results) {
  const lines = [];
  const { sanitizers: s, fuzz: f, page: p, soak: k } = results;
  const when = (r) => `(${r.date}, at ${r.commit}, ${r.seconds} s)`;
  if (s) lines.push(`- **Sanitizers** ${when(s)}: the Catch2 suite built with ASan and UBSan, ${s.testCases} test cases, ${s.passed && !s.sanitizerReports ? 'passed, no sanitizer report' : `FAILED (${s.sanitizerReports} reports)`}.`);
  if (f) {
    lines.push(`- **Fuzzing the core** ${when(f)}: ${n(f.executions)} executions of \`tests/fuzz/fuzz_session.cpp\` (libFuzzer, ASan, UBSan) in ${f.processes} processes, ${n(f.executionsPerSecond)} a second in all; ${n(f.edges)} edges covered, ${n(f.newInputs)} new inputs, peak RSS ${f.peakRssMb} MB.`
      + (f.passed ? ' No crash, no sanitizer report.' : ` FOUND: ${f.crashes.join(', ')}.`));
  }
  if (p) {
    lines.push(`- **Fuzzing the page** ${when(p)} in Chromium: ${n(p.hashes)} URL hashes, ${n(p.calls)} script-API calls (${n(p.callsRejected)} rejected with an Error), ${n(p.messages)} postMessage payloads from another origin.`
      + (p.passed ? ' No uncaught exception, no blank page, no injected markup; the page trains after each round.' : ` ${p.failures} round(s) FAILED.`));
  }
  if (k) {
    const row = (name, key, fmt, diff = fmt) => `| ${name} | ${fmt(k.start[key])} | ${fmt(k.end[key])} | ${diff(k.end[key] - k.start[key])} |`;
    const whole = (x) => String(x);
    const signed = (x) => (x > 0 ? `+${x}` : x < 0 ? `−${-x}` : '0');
    lines.push(`- **Soak** ${when(k)}: the deep-sigmoid and relu-he presets at full pace, ${k.changes} changes, one every ${k.everyMs / 1000} s`
      + ` (in turn: ${k.cycle.join('; ')}), ${n(k.stepsPerSecond)} training steps a second on average.`
      + ` Frame interval median ${k.frameIntervalMs.median} ms, p95 ${k.frameIntervalMs.p95} ms, longest ${k.frameIntervalMs.max} ms (${n(k.frameIntervalMs.frames)} frames, ${k.frameIntervalMs.perSecond} a second).`
      + ` ${k.passed ? 'Memory held flat' : `PROBLEMS: ${k.problems.join('; ')}`}; measured in one configuration (deep-sigmoid, trained ${k.homeTrainMs / 1000} s, after a garbage collection) at the start and the end:`);
    lines.push('', '  | memory | start | end | change |', '  |---|---:|---:|---:|',
      `  ${row('wasm heap (grows only)', 'heapBytes', MB, signedMB)}`,
      `  ${row('bytes the core holds (malloc)', 'inUseBytes', MB, signedMB)}`,
      `  ${row('networks alive', 'sessions', whole, signed)}`,
      `  ${row('JS heap, page', 'pageBytes', MB, signedMB)}`,
      `  ${row('JS heap, worker', 'workerBytes', MB, signedMB)}`);
  }
  return lines;
}

function writeReadme(results) {
  const path = join(root, 'bench/README.md');
  const text = readFileSync(path, 'utf8');
  const begin = '<!-- hardening:begin -->', end = '<!-- hardening:end -->';
  if (!text.includes(begin)) throw new Error('bench/README.md lacks the hardening markers');
  writeFileSync(path, text.slice(0, text.indexOf(begin) + begin.length) + '\n' + section(results).join('\n') + '\n' + text.slice(text.indexOf(end)));
}

// ---------------------------------------------------------------- main
mkdirSync(out, { recursive: true });
const results = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : {};
if (README_ONLY) {
  writeReadme(results);
  log('wrote bench/README.md');
  process.exit(0);
}
let failed = false;
for (const part of PARTS) {
  if (!PART[part]) throw new Error(`unknown part '${part}' (one of ${Object.keys(PART).join(', ')})`);
  log(`${part}…`);
  const commit = spawnSync('git', ['-C', root, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).stdout.trim();
  const r = { date: new Date().toISOString().slice(0, 10), commit, ...(await PART[part]()) };
  results[part] = r;
  log(part, JSON.stringify(r));
  failed ||= !r.passed;
  writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');
  writeReadme(results);
}
log('wrote bench/hardening.json and bench/README.md');
process.exit(failed ? 1 : 0);
