import type { PlanAction, ReplayPlan, TaskPlan, TraceDiff } from '@taskgraph/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiError, EditResponse, TraceResponse } from '../../src/api-types.js';
import { runTotals } from '../../src/view-model/run-totals.js';
import { indexTrace, pathKey } from '../../src/view-model/task-index.js';
import { api, apiErrorOf } from './api-client.js';
import type { NodeMarks } from './graph/flow-elements.js';
import { groupsAround, isGroupOpen, taskGroups } from './graph/task-groups.js';
import { firstLayout } from './layout/use-layout.js';
import { liveTotals } from './model/live-totals.js';
import type { TaskFilter } from './model/task-filter.js';
import { filterChoices, filteredOut } from './model/task-filter.js';
import { ActivityLog } from './panels/activity-log.js';
import { ChangesPanel } from './panels/changes-panel.js';
import { ErrorPage } from './panels/error-page.js';
import { PlanSummary } from './panels/plan-summary.js';
import { RunDetail } from './panels/run-detail.js';
import { SearchBox } from './panels/search-box.js';
import { TaskDetail } from './panels/task-detail.js';
import { TotalsBar } from './panels/totals-bar.js';
import { useKeyboardNav } from './use-keyboard-nav.js';
import { useReplayStream } from './use-replay-stream.js';
import type { View } from './views/main-views.js';
import { MainViews } from './views/main-views.js';

type Load =
  | { state: 'loading' }
  | { state: 'error'; error: ApiError }
  | { state: 'ready'; data: TraceResponse };
type Tab = 'details' | 'changes' | 'activity';
/** How long the first plan waits for the graph to be drawn (the graph may not be the view shown). */
const PLAN_WAIT_MS = 1_500;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The viewer: graph, timeline and conversations, totals, detail panel, editing with the replay plan, replay
 * and its changes.
 */
export function App() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [plan, setPlan] = useState<ReplayPlan | undefined>();
  const [preview, setPreview] = useState<ReplayPlan | undefined>();
  const [planError, setPlanError] = useState<ApiError | undefined>();
  const [diff, setDiff] = useState<TraceDiff | undefined>();
  const [selected, setSelected] = useState<string | undefined>();
  const [toggled, setToggled] = useState<ReadonlySet<string>>(new Set());
  const [focus, setFocus] = useState<string | undefined>();
  const [tab, setTab] = useState<Tab>('details');
  const [showCritical, setShowCritical] = useState(false);
  const [notice, setNotice] = useState<ApiError | undefined>();
  const [filter, setFilter] = useState<TaskFilter>({});
  const [view, setView] = useState<View>('graph');

  const refreshPlan = useCallback(async () => {
    try {
      setPlan((await api.plan()).plan);
      setPlanError(undefined);
    } catch (error) {
      setPlan(undefined);
      setPlanError(apiErrorOf(error));
    }
  }, []);

  const refresh = useCallback(async () => {
    try {
      const data = await api.trace();
      setLoad({ state: 'ready', data });
      await Promise.race([firstLayout, delay(PLAN_WAIT_MS)]);
      await refreshPlan();
      if (data.hasPrevious) setDiff((await api.diff()).diff);
    } catch (error) {
      setLoad({ state: 'error', error: apiErrorOf(error) });
    }
  }, [refreshPlan]);

  const { live, clear } = useReplayStream(async (run) => {
    await refresh();
    clear();
    if (run.ended?.error) setNotice(run.ended.error);
    setTab('changes');
  });

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const trace = load.state === 'ready' ? load.data.trace : undefined;
  const index = useMemo(() => (trace ? indexTrace(trace) : undefined), [trace]);
  const stored = useMemo(() => (trace && index ? runTotals(trace, index) : undefined), [trace, index]);
  const totals = useMemo(
    () => (stored && index ? liveTotals(stored, index, live) : undefined),
    [stored, index, live],
  );
  const groups = useMemo(() => (index ? taskGroups(index) : undefined), [index]);
  const choices = useMemo(() => (index ? filterChoices(index) : undefined), [index]);
  const dimmed = useMemo(() => (index ? filteredOut(index, filter) : undefined), [index, filter]);
  const criticalKeys = useMemo(() => new Set(stored?.criticalPath.keys ?? []), [stored]);
  const shownPlan = preview ?? plan;
  const planByKey = useMemo(() => planIndex(shownPlan), [shownPlan]);
  const diffByKey = useMemo(
    () => (diff ? new Map(diff.tasks.map((task) => [pathKey(task.taskPath), task.change])) : undefined),
    [diff],
  );
  const critical = showCritical ? criticalKeys : undefined;
  const marks = useMemo<NodeMarks>(
    () => ({
      plan:
        planByKey && new Map([...planByKey].map(([key, task]) => [key, task.action] as [string, PlanAction])),
      live,
      diff: diffByKey,
      critical,
      selected,
      dimmed,
    }),
    [planByKey, live, diffByKey, critical, selected, dimmed],
  );

  const select = useCallback((key: string | undefined) => {
    setSelected(key);
    setTab('details');
  }, []);
  const reveal = useCallback(
    (key: string) => {
      if (!index || !groups) return;
      // Open the nested graphs and groups of created tasks around it that are closed.
      const closed = groupsAround(index, groups, key).filter(
        (group) => !isGroupOpen(index, groups, toggled, group),
      );
      if (closed.length > 0) {
        setToggled((current) => {
          const next = new Set(current);
          for (const group of closed) {
            if (next.has(group)) next.delete(group);
            else next.add(group);
          }
          return next;
        });
      }
      select(key);
      setFocus(key);
    },
    [index, groups, toggled, select],
  );
  const toggleGroup = useCallback((key: string) => {
    setToggled((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);
  const onFocused = useCallback(() => setFocus(undefined), []);
  useKeyboardNav({
    index,
    selected,
    onGo: reveal,
    onDeselect: () => select(undefined),
    onToggleGroup: toggleGroup,
  });
  const onSaved = useCallback(
    (response: EditResponse) => {
      setPreview(undefined);
      setPlan(response.plan);
      if (response.trace && load.state === 'ready') {
        setLoad({ state: 'ready', data: { ...load.data, trace: response.trace } });
      }
    },
    [load],
  );
  const replay = async () => {
    setNotice(undefined);
    try {
      await api.replay();
      setTab('activity');
    } catch (error) {
      setNotice(apiErrorOf(error));
    }
  };
  const stop = async () => {
    try {
      await api.stop();
    } catch (error) {
      setNotice(apiErrorOf(error));
    }
  };

  if (load.state === 'loading') return <p className="tg-loading">Loading trace…</p>;
  if (load.state === 'error') return <ErrorPage error={load.error} tracePath={undefined} />;
  if (!index || !totals || !trace || !choices || !groups) return null;

  const running = live.running;
  const entry = selected === undefined ? undefined : index.tasks.get(selected);
  const edit = { canEdit: !running, onPreview: setPreview, onSaved };
  return (
    <div className="tg-app" data-running={running ? 'true' : 'false'}>
      <header className="tg-toolbar">
        <h1 title={load.data.tracePath}>
          taskgraph <span className="tg-muted">{load.data.tracePath}</span>
        </h1>
        <SearchBox keys={[...index.tasks.keys()]} onPick={reveal} />
        <PlanSummary plan={shownPlan} preview={preview !== undefined} error={planError} />
        <div className="tg-actions">
          {running ? (
            <button type="button" className="tg-danger" onClick={stop}>
              Stop
            </button>
          ) : (
            <button
              type="button"
              className="tg-primary"
              disabled={!load.data.canReplay || preview !== undefined}
              title={
                load.data.canReplay
                  ? 'Run the plan: re-run what the edits touch, reuse the rest'
                  : 'Start the viewer with a registry (--registry) to replay'
              }
              onClick={replay}
            >
              Replay
            </button>
          )}
        </div>
      </header>
      <TotalsBar
        totals={totals}
        live={live}
        showCritical={showCritical}
        onToggleCritical={() => setShowCritical(!showCritical)}
      />
      {notice ? (
        <div className="tg-notice" role="alert" data-testid="notice">
          {notice.code}: {notice.message}
          <button type="button" className="tg-link" onClick={() => setNotice(undefined)}>
            dismiss
          </button>
        </div>
      ) : null}
      <main className="tg-main">
        <MainViews
          view={view}
          onView={setView}
          index={index}
          groups={groups}
          toggled={toggled}
          marks={marks}
          critical={criticalKeys}
          choices={choices}
          filter={filter}
          onFilter={setFilter}
          onToggleGroup={toggleGroup}
          onSelect={select}
          onReveal={reveal}
          focus={focus}
          onFocused={onFocused}
        />
        <aside className="tg-side">
          <nav className="tg-tabs" aria-label="Panels">
            {(['details', 'changes', 'activity'] as const).map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                aria-selected={tab === name}
                disabled={name === 'changes' && !diff}
                onClick={() => setTab(name)}
              >
                {name === 'details' ? (entry ? 'Task' : 'Run') : name === 'changes' ? 'Changes' : 'Activity'}
              </button>
            ))}
          </nav>
          <div className="tg-side-body">
            {tab === 'changes' && diff ? (
              <ChangesPanel diff={diff} onSelect={reveal} />
            ) : tab === 'activity' ? (
              <ActivityLog live={live} onSelect={reveal} />
            ) : entry ? (
              <TaskDetail
                key={entry.key}
                entry={entry}
                plan={planByKey?.get(entry.key)}
                live={live.tasks.get(entry.key)}
                onSelect={reveal}
                onShowConversation={() => setView('conversations')}
                {...edit}
              />
            ) : (
              <RunDetail trace={trace} plan={shownPlan} onSelect={reveal} {...edit} />
            )}
          </div>
        </aside>
      </main>
    </div>
  );
}

function planIndex(plan: ReplayPlan | undefined): Map<string, TaskPlan> | undefined {
  return plan && new Map(plan.tasks.map((task) => [pathKey(task.taskPath), task]));
}
