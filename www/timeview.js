// The recurrent mode's view (show=time): the gradient through time of the RNN
// and the LSTM side by side, ‖∂L/∂h_t‖ for t = 1..T on one log axis, each with
// its sentence ("the gradient reaching step 1 is N× smaller than at step T"),
// and their loss and test accuracy over training in one chart. It draws the
// worker's recurrent snapshots (recurrentengine.js); no state of its own but the
// chart's points.
import { drawTimeBars } from './charts/timebars.js';
import { TimeSeries } from './charts/timeseries.js';
import { CELL_COLORS, forgetKept, timeSentence } from './throughtime.js';

const MAX_POINTS = 3000;

export class TimeView {
  /**
   * @param {{bars: SVGElement[], captions: HTMLElement[], sentences: HTMLElement[], values: HTMLElement[],
   *   chart: HTMLElement, note: HTMLElement}} els two of each per-cell element, the model's first
   */
  constructor(els) {
    Object.assign(this, els);
    // Loss on a linear axis, as the MLP's loss chart has it (uPlot's log axes lose
    // their labels beyond about 1e32, which a diverging RNN's loss passes).
    this.chart = new TimeSeries(els.chart, { y2: true });
    this.chartKey = null;  // the cells and language the chart's series are for
    this.points = [];
  }

  /**
   * A recurrent snapshot arrived: its history points join the chart's (kept while
   * the MLP is shown: the recurrent session waits unchanged). Beyond MAX_POINTS
   * every other point is dropped, as the charts do.
   */
  receive(snap) {
    if (snap.rebuilt || snap.reset) this.points = [];
    this.points.push(...snap.history);
    if (this.points.length > MAX_POINTS) this.points = this.points.filter((_, k) => k % 2 === 0);
  }

  render(snap, state, i18n) {
    const { t, fmt } = i18n;
    const cells = snap.cells;
    // One axis for the cells that train, so that their bars compare; a diverged
    // cell (its last gradients, up to 1e38) on an axis of its own.
    const shared = cells.filter((c) => !c.diverged).flatMap((c) => Array.from(c.gradThroughTime));
    cells.forEach((c, i) => {
      const g = Array.from(c.gradThroughTime);
      drawTimeBars(this.bars[i], g, c.diverged ? g : shared, { color: CELL_COLORS[c.cell], empty: t('time.empty'), axis: t('time.axis') });
      const chance = state.task === 'first' ? fmt.percent(1 / state.symbols) : null;
      this.captions[i].textContent = t(i === 0 ? 'time.caption.model' : 'time.caption.other', { name: t(`time.cell.${c.cell}`) });
      const test = c.test ? fmt.percent(c.test.accuracy) : '–';
      this.sentences[i].textContent = `${timeSentence(c, i18n)} ${chance ? t('time.accuracy', { test, chance }) : t('time.accuracyAdding', { test })}`;
      this.values[i].textContent = t('time.summary', { T: g.length, values: i18n.list(g.map(fmt.value)) });
    });
    const key = `${i18n.lang}:${cells.map((c) => c.cell).join()}`;
    if (key !== this.chartKey) {
      this.chartKey = key;
      const series = [];
      cells.forEach((c) => series.push({ label: t('time.lossOf', { name: t(`time.cell.${c.cell}`) }), color: CELL_COLORS[c.cell] }));
      cells.forEach((c) => series.push({ label: t('time.testOf', { name: t(`time.cell.${c.cell}`) }), color: CELL_COLORS[c.cell], scale: 'y2', dash: [6, 3] }));
      this.chart.reset(series, { x: t('chart.x.steps'), y: t('chart.loss.y'), y2: t('chart.loss.y2') }, { ...fmt, time: fmt.int });
      this.shown = 0;
    }
    if (this.shown !== this.points.length || this.points.length === 0) {
      const xs = this.points.map((p) => p.step);
      const finite = (v) => (Number.isFinite(v) ? v : null);
      this.chart.replace(xs, [...cells.map((_, i) => this.points.map((p) => finite(p.loss[i]))),
        ...cells.map((_, i) => this.points.map((p) => finite(p.testAccuracy[i])))]);
      this.shown = this.points.length;
    }
    this.chart.draw();
    this.note.textContent = t('time.note', { bias: fmt.value(state.forgetBias), kept: fmt.value(forgetKept(state.forgetBias, state.seqLen)), T: state.seqLen });
  }
}
