/**
 * The interactive view. The only component with useInput / useApp: it reads the published
 * LiveState, keeps the ViewState (state.ts) and hands rows, widths and heights to the
 * presentational components. Keys go through keymap.ts → reduce; the side effects (quit,
 * export) happen here.
 *
 * Height budget (at most `height - 1` lines, so Ink never has to clear the screen):
 * header 3, file progress while reading (≤ 4), an error line when there are errors, the body
 * (table header + rows, the detail pane, or help), and the bottom bar (1; 2 for the export and range prompts).
 */
import { Box, useApp, useInput } from 'ink';
import { useMemo, useRef, useState } from 'react';
import type { Snapshot } from '../aggregate/types.js';
import { readEvidence } from '../input/evidence.js';
import { runShape } from '../report/text.js';
import { sanitize } from '../text/sanitize.js';
import DetailPane from './components/DetailPane.js';
import EvidenceView, { EVIDENCE_HEAD_LINES } from './components/EvidenceView.js';
import ExportPrompt from './components/ExportPrompt.js';
import FileProgress from './components/FileProgress.js';
import FilterBar from './components/FilterBar.js';
import FindingsTable from './components/FindingsTable.js';
import Header from './components/Header.js';
import Line from './components/Line.js';
import RangePrompt from './components/RangePrompt.js';
import Help, { helpLines } from './components/Help.js';
import TrafficOverview, { overviewLines } from './components/TrafficOverview.js';
import { detailLines, exampleLines, identityLine } from './detail-lines.js';
import { evidenceDoc, evidenceLines, findMatch, loadingDoc, type EvidenceDoc } from './evidence-view.js';
import { defaultExportPath, exportRows, planExport } from './export.js';
import { formatCount } from './format.js';
import { keyToAction, splitKeys, type KeyInfo } from './keymap.js';
import {
  cursorIndex,
  fitScroll,
  initialViewState,
  reduce,
  trendSpan,
  visibleRows,
  type ReduceContext,
  type Row,
  type ViewAction,
  type ViewState,
} from './state.js';
import { cellsOf, tableLayout, TREND_WIDTH } from './table-layout.js';
import { themeFor } from './theme.js';
import { markerRow, sparkline } from './sparkline.js';
import useLiveState, { type LiveSource } from './use-live-state.js';
import useTerminalSize from './use-terminal-size.js';

export interface Props {
  readonly live: LiveSource;
  /** Colours (false for --no-color); default true. */
  readonly color?: boolean;
  /** Terminal size; by default the real one, following resizes. */
  readonly width?: number;
  readonly height?: number;
  /** For the default export file name. */
  readonly now?: () => Date;
  /** Writes the export; resolves with the path written. Default: exportRows (CSV, atomic). */
  readonly onExport?: (path: string, snapshot: Snapshot, rows: readonly Row[]) => Promise<string>;
  /** Initial view (tests). */
  readonly initialView?: ViewState;
}

/** Rows measured to lay out the columns: enough to be stable while scrolling, few enough to be cheap. */
const LAYOUT_SAMPLE = 200;
const MAX_PROGRESS_LINES = 4;

export default function App(props: Props) {
  const state = useLiveState(props.live);
  const size = useTerminalSize();
  const width = Math.max(20, props.width ?? size.columns);
  const height = Math.max(8, props.height ?? size.rows);
  const theme = themeFor(props.color ?? true);
  const now = props.now ?? (() => new Date());
  const { exit } = useApp();
  const [view, setView] = useState<ViewState>(props.initialView ?? initialViewState);
  // The truth for key handling: keys may arrive faster than renders.
  const viewRef = useRef(view);

  const rows = useMemo(
    () => visibleRows(state.snapshot, view, { trends: state.trends, reference: state.reference, newKeys: state.newKeys }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [state, view.filter, view.tab, view.sort, view.window, view.range, view.hideInformational],
  );
  const rowKeys = useMemo(() => rows.map((r) => r.key), [rows]);

  const progressLines = state.phase === 'reading' ? Math.min(MAX_PROGRESS_LINES, state.files.length) : 0;
  const errorLines = state.errors.length > 0 ? 1 : 0;
  const bottomLines = view.mode === 'export' || view.mode === 'overwrite' || view.mode === 'range' ? 2 : 1;
  const bodyHeight = Math.max(2, height - 1 - 3 - progressLines - errorLines - bottomLines);
  const pageSize = bodyHeight - 1;

  const cursor = cursorIndex(view, rowKeys);
  const scroll = fitScroll(view.scroll, cursor, pageSize, rows.length);
  const page = rows.slice(scroll, scroll + pageSize);
  const trendWidth = width >= 72 ? TREND_WIDTH : 0;
  const span = state.reference === null ? null : trendSpan(view.window, state.reference, state.snapshot.summary.firstSeen, view.range);
  const tableRows = page.map((row) => ({
    row,
    spark: span !== null && trendWidth > 0 ? sparkline(state.trends.series(row.identity, span[0], span[1], trendWidth)) : '',
  }));
  // An MTA or host column when the whole run (not only the rows in view) holds several.
  const shape = useMemo(() => runShape(state.snapshot.findings), [state.snapshot]);
  // Without colour, inverse video may not reach the terminal either (NO_COLOR, --no-color):
  // the selected row gets a `>` in a column of its own.
  const marker = !(props.color ?? true);
  // The run's starts and reloads over the trend column (all hosts: the column is the whole
  // table's), in ASCII without colour.
  const markerTimes = useMemo(
    () => state.snapshot.markers.flatMap((m) => (m.time === null ? [] : [{ ms: Date.parse(m.time), marker: m.marker }])),
    [state.snapshot.markers],
  );
  const trendMarks = span !== null && trendWidth > 0 ? markerRow(markerTimes, span[0], span[1], trendWidth, marker) : '';
  const columns = useMemo(
    () => tableLayout(width, [...rows.slice(0, LAYOUT_SAMPLE), ...page].map((r) => cellsOf(r, '')), trendWidth, { ...shape, cursor: marker }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rows, width, scroll, shape, marker],
  );

  const inEvidence = view.mode === 'evidence' || view.mode === 'evidenceSearch' || (view.mode === 'help' && view.previous === 'evidence');
  const showDetail =
    view.mode === 'detail' || (view.mode !== 'table' && view.mode !== 'filter' && !inEvidence && view.previous === 'detail');
  const current = rows[cursor];
  const detail = useMemo(
    () =>
      showDetail && current
        ? detailLines(current, { width, trends: state.trends, reference: state.reference, example: view.example, markers: state.snapshot.markers, ascii: marker })
        : [],
    [showDetail, current, width, state, view.example, marker],
  );
  const helpLength = useMemo(() => helpLines().length, []);
  const overviewLength = useMemo(
    () => (view.mode === 'overview' ? overviewLines(state.snapshot.traffic, width).length : 0),
    [view.mode, state.snapshot, width],
  );

  // The evidence view's lines, read from the files when it opens (never kept by the analysis).
  const [evidence, setEvidence] = useState<EvidenceDoc | null>(null);
  const evidenceRef = useRef<EvidenceDoc | null>(null);
  const showEvidence = (doc: EvidenceDoc): void => {
    evidenceRef.current = doc;
    setEvidence(doc);
  };
  const openEvidence = (row: Row, snapshot: Snapshot): void => {
    const { key } = row.details;
    showEvidence(loadingDoc(key));
    const files = snapshot.summary.files.map((f) => f.path);
    readEvidence(files, row.details.evidence).then(
      (read) => {
        if (evidenceRef.current?.key === key) showEvidence(evidenceDoc(row.finding, row.details, read));
      },
      (err: unknown) => {
        if (evidenceRef.current?.key === key) showEvidence({ key, items: [], notes: [`could not read the lines: ${(err as Error).message ?? String(err)}`] });
      },
    );
  };
  const evidenceStyled = useMemo(
    () => (evidence?.items ? evidenceLines(evidence.items, view.evidenceMatch) : null),
    [evidence, view.evidenceMatch],
  );

  const dispatch = (v: ViewState): void => {
    viewRef.current = v;
    setView(v);
  };

  // The export reports back with actions: a failure keeps the prompt open with the path and why.
  const report = (action: ViewAction): void => dispatch(reduce(viewRef.current, action, { rowKeys: [], pageSize }));
  const writeExport = (target: string, snapshot: Snapshot, exported: readonly Row[]): void => {
    const write = props.onExport ?? exportRows;
    write(target, snapshot, exported).then(
      (written) =>
        report({ type: 'exportDone', text: `wrote ${formatCount(exported.length)} ${exported.length === 1 ? 'finding' : 'findings'} to ${written}` }),
      (err: unknown) => report({ type: 'exportFailed', error: `could not write ${target}: ${(err as Error).message ?? String(err)}` }),
    );
  };
  const startExport = (path: string, snapshot: Snapshot, exported: readonly Row[]): void => {
    planExport(path, now()).then(
      (plan) => {
        if (plan.kind === 'error') report({ type: 'exportFailed', error: `could not write ${plan.error}` });
        else if (plan.kind === 'exists') report({ type: 'exportExists', target: plan.target });
        else writeExport(plan.target, snapshot, exported);
      },
      (err: unknown) => report({ type: 'exportFailed', error: `could not export: ${(err as Error).message ?? String(err)}` }),
    );
  };

  useInput((input, key) => {
    // From the newest view, not this render's: a key may come before the render of the one before.
    const ctxOf = (v: ViewState): ReduceContext => {
      const evidenceMode = v.mode === 'evidence' || v.mode === 'evidenceSearch';
      let lines = detail.length;
      if (v.mode === 'help') lines = helpLength;
      else if (v.mode === 'overview') lines = view.mode === 'overview' ? overviewLength : overviewLines(state.snapshot.traffic, width).length;
      else if (evidenceMode) lines = evidenceRef.current?.items?.length ?? 0;
      else if (v.mode === 'detail' && (view.mode !== 'detail' || v.example !== view.example)) {
        const row = rows[cursorIndex(v, rowKeys)];
        lines = row ? detailLines(row, { width, trends: state.trends, reference: state.reference, example: v.example, markers: state.snapshot.markers, ascii: marker }).length : 0;
      }
      return {
        rowKeys,
        pageSize: evidenceMode ? bodyHeight - EVIDENCE_HEAD_LINES : v.mode === 'detail' || v.mode === 'help' || v.mode === 'overview' ? bodyHeight : pageSize,
        detailLines: lines,
        reference: state.reference,
      };
    };
    let v = viewRef.current;
    for (const [ch, k] of splitKeys(input, key as KeyInfo)) {
      const ctx = ctxOf(v);
      let action: ViewAction | undefined = keyToAction(ch, k, v.mode);
      if (action === undefined) continue;
      if (action.type === 'exportStart') action = { type: 'exportStart', suggested: defaultExportPath(now()) };
      if (action.type === 'cycleExample') action = { type: 'cycleExample', examples: current ? exampleLines(current).length : 0 };
      if (action.type === 'evidenceSearchAccept' || action.type === 'evidenceNext') {
        // Plain substring search over the lines on screen, from the current match (or the top).
        const items = evidenceRef.current?.items ?? [];
        const accept = action.type === 'evidenceSearchAccept';
        const query = accept ? v.evidenceInput : v.evidenceQuery;
        const dir: 1 | -1 = action.type === 'evidenceNext' ? action.by : 1;
        const from = accept ? (v.evidenceMatch ?? v.evidenceScroll) : (v.evidenceMatch ?? v.evidenceScroll - dir) + dir;
        const match = findMatch(items, query, from, dir);
        action = accept ? { type: 'evidenceSearchAccept', match } : { type: 'evidenceNext', by: dir, match };
      }
      if (action.type === 'evidence') {
        const row = rows[cursorIndex(v, rowKeys)];
        v = reduce(v, action, ctx);
        if (row && v.mode === 'evidence') openEvidence(row, state.snapshot);
        continue;
      }
      if (action.type === 'exportReplace') {
        const target = v.exportTarget;
        v = reduce(v, action, ctxOf(v));
        viewRef.current = v;
        if (target !== null) writeExport(target, state.snapshot, rows);
        v = viewRef.current;
        continue;
      }
      if (action.type === 'exportSubmit') {
        const path = v.exportPath;
        v = reduce(v, action, ctxOf(v));
        viewRef.current = v;
        startExport(path, state.snapshot, rows);
        v = viewRef.current;
        continue;
      }
      v = reduce(v, action, ctxOf(v));
      if (v.quit) break;
    }
    dispatch(v);
    if (v.quit) exit();
  });

  const s = state.snapshot;
  let empty = 'No rejections, bounces or deferrals found.';
  if (s.findings.length === 0 && state.phase === 'reading') empty = 'Reading… no rejections, bounces or deferrals yet.';
  else if (s.findings.length === 0 && state.phase === 'following') empty = 'No rejections, bounces or deferrals yet; waiting for new lines…';
  else if (s.findings.length > 0) empty = 'No finding in this view (Esc clears the filter, t changes the time window, Tab the direction).';

  let body;
  if (inEvidence && view.mode !== 'help' && current) {
    body = (
      <EvidenceView
        title={[{ text: 'evidence  ', role: 'title' }, ...identityLine(current.finding)]}
        notes={evidence?.notes ?? []}
        lines={evidenceStyled}
        scroll={view.evidenceScroll}
        query={view.evidenceQuery}
        height={bodyHeight}
        width={width}
        theme={theme}
      />
    );
  } else if (view.mode === 'help') {
    body = <Help width={width} height={bodyHeight} scroll={view.helpScroll} theme={theme} />;
  } else if (view.mode === 'overview') {
    body = <TrafficOverview traffic={s.traffic} width={width} height={bodyHeight} scroll={view.overviewScroll} theme={theme} />;
  } else if (showDetail && current) {
    body = <DetailPane lines={detail} scroll={view.detailScroll} height={bodyHeight} width={width} theme={theme} />;
  } else {
    body = (
      <FindingsTable
        rows={tableRows}
        selected={rows.length === 0 ? null : cursor - scroll}
        marker={marker}
        width={width}
        theme={theme}
        columns={columns}
        empty={empty}
        trendMarks={trendMarks}
      />
    );
  }

  return (
    <Box flexDirection="column" width={width}>
      <Header
        summary={s.summary}
        phase={state.phase}
        follow={state.follow}
        elapsedMs={state.elapsedMs}
        linesPerSec={state.linesPerSec}
        problemsPerMin={state.problemsPerMin}
        shown={rows.length}
        total={s.findings.length}
        fresh={state.newKeys.size}
        view={view}
        width={width}
        theme={theme}
      />
      {progressLines > 0 && <FileProgress files={state.files} width={width} theme={theme} maxLines={MAX_PROGRESS_LINES} />}
      {errorLines > 0 && (
        <Line
          line={[
            { text: `! ${sanitize(state.errors[0]!)}`, role: 'error' },
            {
              text: state.errors.length > 1 ? ` (+${state.errors.length - 1} more; all listed on exit)` : ' (listed again on exit)',
              role: 'muted',
            },
          ]}
          width={width}
          theme={theme}
        />
      )}
      {body}
      {view.mode === 'export' || view.mode === 'overwrite' ? (
        <ExportPrompt
          path={view.exportPath}
          rows={rows.length}
          error={view.exportError}
          replace={view.mode === 'overwrite' ? view.exportTarget : null}
          width={width}
          theme={theme}
        />
      ) : view.mode === 'range' ? (
        <RangePrompt input={view.rangeInput} error={view.rangeError} width={width} theme={theme} />
      ) : view.mode === 'evidenceSearch' ? (
        <Line
          line={[
            { text: '/', role: 'key' },
            { text: sanitize(view.evidenceInput) },
            { text: '▏', role: 'key' },
            { text: '   search the lines (queue id, address, text) · ⏎ find · esc cancel', role: 'muted' },
          ]}
          width={width}
          theme={theme}
        />
      ) : (
        <FilterBar mode={view.mode} filter={view.filter} message={view.message} width={width} theme={theme} />
      )}
    </Box>
  );
}
