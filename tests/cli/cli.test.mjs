// The native CLI, run as a user would: flags, formats, errors and exit codes.
// Run by ctest with GRADLAB_CLI set to the built binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const cli = process.env.GRADLAB_CLI;
if (!cli) throw new Error('set GRADLAB_CLI to the gradlab binary');

function run(...args) {
  const r = spawnSync(cli, args, { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const settings = () => run('--list-settings').out.trim().split('\n').map((l) => JSON.parse(l));

test('--help documents every setting of the table, with its range or choices and default', () => {
  const r = run('--help');
  assert.equal(r.code, 0);
  const table = settings();
  assert.ok(table.length >= 30, `${table.length} settings`);
  for (const s of table) {
    assert.match(r.out, new RegExp(`^\\s+${s.flag}\\b`, 'm'), s.flag);
    const entry = r.out.slice(r.out.indexOf(`  ${s.flag}`)).split(/\n  --/)[0].replace(/\s+/g, ' ');
    assert.match(entry, new RegExp(`Default: ${String(s.default).replace('.', '\\.')}\\.`), `${s.flag} default`);
    if ('recurrentDefault' in s)
      assert.ok(entry.includes(`Default for rnn and lstm: ${s.recurrentDefault}.`), `${s.flag} recurrent default`);
    if (s.type === 'choice') for (const c of s.choices) assert.ok(entry.includes(c), `${s.flag} lists ${c}`);
    for (const a of s.aliases.filter((x) => x.startsWith('--'))) assert.ok(entry.includes(a), `${s.flag} alias ${a}`);
  }
  for (const flag of ['--layers', '--epochs', '--mnist-file', '--format', '--list-settings', '--help'])
    assert.match(r.out, new RegExp(`^\\s+${flag}\\b`, 'm'), flag);
});

test('every flag of the table is accepted at its default and refused beyond its range', () => {
  for (const s of settings()) {
    if (s.key === 'trainSize' || s.key === 'probeSize') continue;  // their defaults mean "all" and "auto"
    const value = s.type === 'boolean' ? `${s.flag}=${s.default ? 1 : 0}` : null;
    const ok = run('--dataset', 'circle', ...(value ? [value] : [s.flag, String(s.default)]), '--epochs', '0', '--format', 'jsonl');
    assert.equal(ok.code, 0, `${s.flag} ${s.default}: ${ok.err}`);
    if (s.type === 'integer' || s.type === 'real') {
      const bad = run(s.flag, String(s.max + 1));
      assert.equal(bad.code, 2, s.flag);
      assert.ok(bad.err.includes(`${s.flag} must be between`), `${s.flag}: ${bad.err}`);
    }
    if (s.type === 'choice') {
      const bad = run(s.flag, 'nonsense');
      assert.equal(bad.code, 2);
      assert.ok(bad.err.includes(`${s.flag}: 'nonsense' is not one of ${s.choices.join(', ')}`), bad.err);
    }
  }
});

test("Nielsen's table: four hidden layers at initialization", () => {
  const r = run('--layers', '784,30,30,30,30,10', '--data', 'mnist', '--epochs', '0', '--probe', '1000');
  assert.equal(r.code, 0, r.err);
  const row = r.out.trim().split('\n').find((l) => /^\s+0\s/.test(l));
  assert.ok(row, r.out);
  const speeds = row.trim().split(/\s+/).slice(4, 8).map(Number);
  assert.equal(speeds.length, 4);
  for (let i = 1; i < 4; i++) assert.ok(speeds[i] > 2 * speeds[i - 1], row);
});

// The probe's quantities and the per-layer statistics, in their csv order (the
// core's kProbeStatistics and kLayerStatistics), written out.
const PROBE = ['speed', 'grad_rms', 'gain', 'dphi_mean', 'weight_gain'];
const STATISTICS = ['batch_speed', 'weight_grad_norm', 'weight_norm', 'update_ratio', 'activation_mean',
  'activation_std', 'saturation'];

test('jsonl: one object per epoch, measured before its update, with the csv names', () => {
  const r = run('--layers', '784,30,30,10', '--train', '500', '--batch', '50', '--epochs', '2', '--format', 'jsonl');
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 3);
  lines.forEach((l, i) => {
    // Each per-layer quantity: the hidden layers' array, then the output layer's value.
    assert.deepEqual(Object.keys(l), ['step', 'epoch', 'loss', 'train_accuracy', 'test_accuracy',
      ...[...PROBE, ...STATISTICS].flatMap((q) => [q, `${q}_out`])]);
    assert.equal(l.epoch, i);
    assert.equal(l.step, 10 * i, '500 examples, 10 steps an epoch');
    assert.equal(l.speed.length, 2);
    assert.ok(l.speed.every((s) => s > 0));
    assert.ok(l.speed_out > 0);
    // The chain of factors: measured for hidden layers, null for the output layer.
    for (const q of ['gain', 'dphi_mean', 'weight_gain']) {
      assert.ok(l[q].every((x) => x > 0), q);
      assert.equal(l[`${q}_out`], null, `${q} has no output-layer value`);
    }
    assert.ok(l.dphi_mean.every((x) => x <= 0.25), 'sigmoid: |σ′| ≤ 1/4');
    // The gain into hidden layer 1 times the gradient's size at layer 2 is about its size at layer 1.
    assert.ok(Math.abs(l.gain[0] * l.grad_rms[1] / l.grad_rms[0] - 1) < 0.2, `${l.gain[0]} ${l.grad_rms}`);
    for (const q of STATISTICS) {
      assert.equal(l[q].length, 2, q);
      if (i === 0) assert.ok(l[q].every((x) => x === null) && l[`${q}_out`] === null, `${q} before any step`);
      else assert.ok(l[q].every(Number.isFinite) && Number.isFinite(l[`${q}_out`]), `${q} after an epoch`);
    }
  });
  assert.ok(lines[1].weight_norm[0] > 0 && lines[1].batch_speed_out > 0);
  assert.ok(lines[2].loss < lines[0].loss, 'training lowers the loss');
  const only = run('--layers', '784,30,10', '--epochs', '0', '--format', 'jsonl').out.trim().split('\n');
  assert.equal(only.length, 1);
});

// The csv header of a network with three hidden layers, written out.
const TAGS = ['hl1', 'hl2', 'hl3', 'out'];
const DEPTH3_HEADER = ['step', 'epoch', 'loss', 'train_accuracy', 'test_accuracy',
  ...[...PROBE, ...STATISTICS].flatMap((q) => TAGS.map((t) => `${q}_${t}`))];

function csv(out) {
  const [header, ...rows] = out.trim().split('\n').map((l) => l.split(','));
  return { header, rows: rows.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]]))) };
}

test('csv and the 2-D sets', () => {
  const r = run('--data', 'spiral', '--noise', '0.2', '--layers', '2,8,8,8,1', '--epochs', '1', '--format', 'csv');
  assert.equal(r.code, 0, r.err);
  const { header, rows } = csv(r.out);
  assert.deepEqual(header, DEPTH3_HEADER);
  assert.equal(rows.length, 2);
  assert.ok(rows.every((row) => Object.keys(row).length === header.length));
});

test('--theory: mean-field theory on every row, at the σ_w² and σ_b² the init stands for', () => {
  // He init on ReLU is the critical point: χ₁ = σ_w²/2 = 1 whatever the biases.
  const he = run('--data', 'xor', '--depth', '4', '--width', '64', '--activation', 'relu', '--init', 'he_normal',
    '--bias-init', 'zeros', '--epochs', '1', '--theory', '--format', 'jsonl');
  assert.equal(he.code, 0, he.err);
  const rows = he.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.length, 2);
  for (const row of rows) {
    assert.equal(row.sigma_w2, 2);
    assert.equal(row.sigma_b2, 0);
    assert.ok(Math.abs(row.chi1 - 1) < 1e-9, row.chi1);
    assert.ok(Math.abs(row.critical_sigma_w2 - 2) < 1e-6, row.critical_sigma_w2);
    assert.ok(row.depth_scale === null || row.depth_scale > 1e12, `infinite at χ₁ = 1, up to rounding: ${row.depth_scale}`);
    assert.ok(Number.isFinite(row.q_star), 'no biases at σ_w² = 2: the length map keeps any q');
    assert.equal(row.grad_rms.length, 4);
  }
  // scaled_normal is the theory's own init; tanh in the ordered phase.
  const t = run('--data', 'xor', '--depth', '3', '--activation', 'tanh', '--init', 'scaled_normal', '--sigma-w', '0.9',
    '--bias-init', 'scaled_normal', '--sigma-b', '0.5', '--epochs', '0', '--theory', '--format', 'csv');
  assert.equal(t.code, 0, t.err);
  const { header, rows: [row] } = csv(t.out);
  assert.deepEqual(header.slice(-6), ['sigma_w2', 'sigma_b2', 'q_star', 'chi1', 'depth_scale', 'critical_sigma_w2']);
  assert.ok(Math.abs(Number(row.sigma_w2) - 0.81) < 1e-12 && Math.abs(Number(row.sigma_b2) - 0.25) < 1e-12);
  assert.ok(Number(row.chi1) < 1 && Number(row.critical_sigma_w2) > 0.81, `${row.chi1} ${row.critical_sigma_w2}`);
  assert.match(run('--data', 'xor', '--epochs', '0', '--theory').out, /# mean-field theory: sigma_w2 [\d.]+ sigma_b2 1 q_star/);
  assert.match(run('--help').out, /--theory\s+adds mean-field theory/);
});

test("csv: Nielsen's net, every layer's speed, and the last step's statistics once a step has run", () => {
  const r = run('--layers', '784,30,30,30,10', '--train', '500', '--epochs', '1', '--format', 'csv');
  assert.equal(r.code, 0, r.err);
  const { header, rows } = csv(r.out);
  assert.deepEqual(header, DEPTH3_HEADER);
  const [first, second] = rows;
  assert.equal(first.step, '0');
  assert.equal(first.epoch, '0');
  assert.equal(second.step, '50');
  assert.equal(second.epoch, '1');
  for (const row of rows) {
    // Vanishing gradients: the first hidden layer learns slowest.
    assert.ok(Number(row.speed_hl1) < Number(row.speed_hl2) && Number(row.speed_hl2) < Number(row.speed_hl3),
      `${row.speed_hl1} ${row.speed_hl2} ${row.speed_hl3}`);
    assert.ok(Number(row.speed_out) > 0);
    for (const h of ['loss', 'train_accuracy', 'test_accuracy']) assert.ok(Number.isFinite(Number(row[h])) && row[h] !== '', h);
  }
  for (const q of STATISTICS)
    for (const t of TAGS) {
      assert.equal(first[`${q}_${t}`], '', `${q}_${t} is empty before any step`);
      assert.ok(second[`${q}_${t}`] !== '' && Number.isFinite(Number(second[`${q}_${t}`])), `${q}_${t} after an epoch`);
    }
  assert.ok(Number(second.weight_norm_hl1) > 0 && Number(second.update_ratio_out) > 0);
  // Without a test set, test accuracy is an empty cell (null in jsonl).
  const none = csv(run('--dataset', 'circle', '--test-fraction', '0', '--epochs', '0', '--format', 'csv').out);
  assert.equal(none.rows[0].test_accuracy, '');
  const json = JSON.parse(run('--dataset', 'circle', '--test-fraction', '0', '--epochs', '0', '--format', 'jsonl').out);
  assert.equal(json.test_accuracy, null);
});

test('remedies: clipping, penalties, batch norm, residual, optimizers, pretraining', () => {
  const base = ['--layers', '784,30,30,30,10', '--train', '500', '--epochs', '1', '--format', 'jsonl'];
  for (const extra of [['--clip-norm', '1'], ['--clip-value', '0.1'], ['--l1', '1', '--l2', '1'], ['--batch-norm'],
    ['--residual'], ['--batch-norm=1', '--residual=true'], ['--optimizer', 'adam', '--eta', '0.001'],
    ['--optimizer', 'momentum', '--momentum', '0.5'], ['--optimizer', 'rmsprop', '--eta', '0.001']]) {
    const r = run(...base, ...extra);
    assert.equal(r.code, 0, `${extra.join(' ')}: ${r.err}`);
    assert.equal(r.out.trim().split('\n').length, 2, extra.join(' '));
  }
  // Pretraining: a first line (epoch -1) before it, then epoch 0 after it.
  const p = run(...base, '--pretrain-epochs', '1');
  assert.equal(p.code, 0, p.err);
  const lines = p.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.epoch), [-1, 0, 1]);
  assert.deepEqual(lines.map((l) => l.step), [0, 0, 50], 'pretraining steps are not training steps');
  assert.equal(lines[1].batch_speed_out, null, 'no training step yet after pretraining');
  assert.notDeepEqual(lines[0].speed, lines[1].speed, 'pretraining changed the speeds');
  // Batch norm raises the first layer's share of the speed by orders of magnitude.
  const deep = ['--layers', '784,30,30,30,30,30,30,30,30,30,30,10', '--epochs', '0', '--format', 'jsonl'];
  const plain = JSON.parse(run(...deep).out).speed, bn = JSON.parse(run(...deep, '--batch-norm').out).speed;
  assert.ok(bn[0] / bn[9] > 100 * (plain[0] / plain[9]), `${bn[0] / bn[9]} vs ${plain[0] / plain[9]}`);
  // Clipping rescues a run that diverges without it.
  const wild = ['--layers', '784,100,100,100,100,100,100,10', '--activation', 'relu', '--init', 'he_normal',
    '--bias-init', 'zeros', '--eta', '1', '--epochs', '1', '--train', '2000', '--format', 'jsonl'];
  assert.equal(run(...wild).code, 3);
  const rescued = run(...wild, '--clip-norm', '1');
  assert.equal(rescued.code, 0, rescued.err);
  assert.ok(JSON.parse(rescued.out.trim().split('\n')[1]).test_accuracy > 0.5);
});

test('the same seed prints the same numbers', () => {
  const a = run('--layers', '784,30,30,10', '--train', '300', '--epochs', '1', '--seed', '5', '--format', 'jsonl');
  const b = run('--layers', '784,30,30,10', '--train', '300', '--epochs', '1', '--seed', '5', '--format', 'jsonl');
  const c = run('--layers', '784,30,30,10', '--train', '300', '--epochs', '1', '--seed', '6', '--format', 'jsonl');
  assert.equal(a.out, b.out);
  assert.notEqual(a.out, c.out);
});

test('bad flags and values exit 2 with a clear message', () => {
  const cases = [
    [['--frobnicate', '1'], /unknown flag '--frobnicate'/],
    [['--activation', 'swish'], /--activation: 'swish' is not one of sigmoid, tanh/],
    [['--init', 'glorot'], /--init: 'glorot' is not one of nielsen/],
    [['--layers', '784,10'], /at least one hidden layer/],
    [['--layers', '784,0,10'], /'0' in '784,0,10' is not a width/],
    [['--layers', '784,30,20,10'], /hidden layers of '784,30,20,10' differ in width/],
    [['--layers', '784,30,30,10', '--width', '50'], /--layers sets --depth and --width: give one or the other/],
    [['--depth', '4', '--layers', '784,30,30,10'], /--layers sets --depth and --width: give one or the other/],
    [['--layers', '2,8,1'], /--layers: data size mismatch: mnist .* needs 784 inputs and 10 outputs/],
    [['--eta', '-1'], /--learning-rate must be between 0.0001 and 100 \(got -1\)/],
    [['--eta', 'nan'], /--learning-rate: 'nan' is not a number/],
    [['--batch', '0'], /--batch-size must be between 1 and 1000 \(got 0\)/],
    [['--depth', '2.5'], /--depth: 2.5 is not a whole number/],
    [['--format', 'xml'], /unknown format 'xml'/],
    [['--data', 'moons'], /--dataset: 'moons' is not one of mnist, circle, xor, gauss, spiral/],
    [['--epochs'], /needs a value/],
    [['--mnist-file', '/nonexistent/mnist.bin'], /cannot read the MNIST file/],
    [['--optimizer', 'lbfgs'], /--optimizer: 'lbfgs' is not one of sgd, momentum, adam, rmsprop/],
    [['--clip-norm', '-1'], /--clip-norm must be between 0 and 1000 \(got -1\)/],
    [['--momentum', '1.5'], /--momentum must be between 0 and 0.999 \(got 1.5\)/],
    [['--batch-norm=maybe'], /--batch-norm: 'maybe' is not true or false/],
    [['--pretrain-epochs', '-2'], /--pretrain-epochs must be between 0 and 20/],
    [['--train', '9000'], /trainSize: 9000 is more than the 8000 training examples/],
    [['--dataset', 'spiral', '--depth', '40', '--width', '256', '--batch-norm', '--batch', '1000'],
      /memory: this network needs about \d+ MB with a mini-batch of 1000, more than the limit of 256 MB; use a mini-batch of at most \d+/],
  ];
  for (const [args, message] of cases) {
    const r = run(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message, args.join(' '));
  }
});

test('a diverging run stops with exit 3 and names the step and layer', () => {
  const r = run('--layers', '784,100,100,100,10', '--activation', 'relu', '--init', 'large', '--eta', '10',
    '--epochs', '1', '--format', 'jsonl');
  assert.equal(r.code, 3);
  assert.match(r.err, /diverged at step \d+: the \w+ of (hidden layer \d|the output layer) became NaN or infinite/);
});

test("the README's tables of settings and page keys are the core's and the page's (node tools/settings_table.mjs rewrites them)", async () => {
  const { README, markdown, pageKeysMarkdown, readTable, withTable } = await import('../../tools/settings_table.mjs');
  const { readFileSync } = await import('node:fs');
  const readme = readFileSync(README, 'utf8');
  assert.equal(readme, withTable(readme, markdown(readTable(cli))), 'run: node tools/settings_table.mjs');
  assert.equal(readme, withTable(readme, await pageKeysMarkdown(), 'pagekeys'), 'run: node tools/settings_table.mjs');
});

test('--sweep-depth A:B: one row per depth, the same data and seed, the speeds at initialization', () => {
  const r = run('--data', 'spiral', '--sweep-depth', '1:4', '--epochs', '1', '--format', 'jsonl');
  assert.equal(r.code, 0, r.err);
  const rows = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((row) => row.depth), [1, 2, 3, 4]);
  assert.deepEqual(Object.keys(rows[0]), ['depth', 'steps', 'test_accuracy', 'train_accuracy', 'loss', 'speed_first_init', 'speed_last_init']);
  assert.ok(rows.every((row) => row.steps === rows[0].steps), 'the same budget at every depth');
  // Sigmoid at Nielsen's init: the deeper, the slower hidden layer 1 starts.
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i].speed_first_init < rows[i - 1].speed_first_init, JSON.stringify(rows));
  assert.equal(rows[0].speed_first_init, rows[0].speed_last_init, 'one hidden layer is both');
  // A row equals the plain run at that depth: the same seed gives the same network and data.
  const single = run('--data', 'spiral', '--depth', '3', '--epochs', '1', '--format', 'jsonl').out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows[2].speed_first_init, single[0].speed[0]);
  assert.equal(rows[2].test_accuracy, single[1].test_accuracy);
  const bad = run('--sweep-depth', '5:2');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--sweep-depth: '5:2' is not A:B/);
});

test('--model rnn|lstm: a sequence task, with the gradient through time on every row', () => {
  const r = run('--model', 'lstm', '--task', 'first', '--seq-len', '12', '--hidden', '16', '--steps', '200', '--measure-every', '100', '--format', 'jsonl');
  assert.equal(r.code, 0, r.err);
  const rows = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((row) => row.step), [0, 100, 200]);
  for (const row of rows) {
    assert.equal(row.grad_through_time.length, 12);
    assert.ok(row.grad_through_time.every((g) => g > 0));
    assert.ok(row.test_accuracy >= 0 && row.test_accuracy <= 1);
  }
  assert.ok(rows[2].loss < rows[0].loss, 'it learns');
  // At T = 30 the tanh RNN's gradient reaching step 1 is orders of magnitude below the LSTM's.
  const first = (model) => JSON.parse(run('--model', model, '--seq-len', '30', '--steps', '0', '--format', 'jsonl').out);
  const ratio = (row) => row.grad_through_time[0] / row.grad_through_time.at(-1);
  assert.ok(ratio(first('lstm')) / ratio(first('rnn')) > 1e3, `${ratio(first('lstm'))} against ${ratio(first('rnn'))}`);
  const adding = run('--model', 'rnn', '--task', 'adding', '--seq-len', '20', '--steps', '10', '--measure-every', '10', '--format', 'csv');
  assert.equal(adding.code, 0, adding.err);
  assert.match(adding.out.split('\n')[0], /^step,loss,train_accuracy,test_loss,test_accuracy,grad_norm,grad_through_time_t1,.*,grad_through_time_t20$/);
  for (const [args, message] of [[['--model', 'gru'], /--model: 'gru' is not one of mlp, rnn, lstm/],
    [['--model', 'rnn', '--seq-len', '1'], /--seq-len must be between 2 and 200 \(got 1\)/],
    [['--model', 'lstm', '--task', 'copy'], /--task: 'copy' is not one of first, adding/],
    [['--model', 'lstm', '--seq-len', '200', '--hidden', '256', '--train-sequences', '16384'], /MB, more than the 256 MB allowed/],
    [['--model', 'rnn', '--steps', '-1'], /--steps: '-1' is not a whole number from 0/]]) {
    const bad = run(...args);
    assert.equal(bad.code, 2, args.join(' '));
    assert.match(bad.err, message);
  }
  // A flag of the other kind of model is ignored, and said to be.
  const mixed = run('--model', 'lstm', '--seq-len', '5', '--depth', '9', '--steps', '0');
  assert.equal(mixed.code, 0, mixed.err);
  assert.match(mixed.err, /--depth does not apply to --model lstm \(ignored\)/);
  assert.match(run('--dataset', 'circle', '--seq-len', '5', '--epochs', '0').err, /--seq-len does not apply to --model mlp/);
  // The recurrent models train by the table's recurrent defaults unless a flag says otherwise.
  const header = (...args) => run('--model', 'rnn', '--seq-len', '5', '--steps', '0', ...args).out.split('\n')[0];
  const table = settings();
  const rd = (key) => table.find((s) => s.key === key).recurrentDefault;
  assert.ok(header().includes(`${rd('optimizer')}, eta ${rd('learningRate')}, batch ${rd('batchSize')}, clip ${rd('clipNorm')}`), header());
  assert.ok(header('--optimizer', 'sgd', '--clip-norm', '0').includes(`sgd, eta ${rd('learningRate')}, batch ${rd('batchSize')}, clip 0`));
});
