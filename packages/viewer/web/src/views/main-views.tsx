import { useCallback } from 'react';
import type { TaskIndex } from '../../../src/view-model/task-index.js';
import type { NodeMarks } from '../graph/flow-elements.js';
import { GraphCanvas } from '../graph/graph-canvas.js';
import type { TaskGroups } from '../graph/task-groups.js';
import type { TaskFilter } from '../model/task-filter.js';
import { FilterBar } from '../panels/filter-bar.js';
import { ConversationView } from './conversation-view.js';
import { TimelineView } from './timeline-view.js';

export type View = 'graph' | 'timeline' | 'conversations';
const VIEWS: ReadonlyArray<[View, string]> = [
  ['graph', 'Graph'],
  ['timeline', 'Timeline'],
  ['conversations', 'Conversations'],
];

interface MainViewsProps {
  view: View;
  onView(view: View): void;
  index: TaskIndex;
  groups: TaskGroups;
  toggled: ReadonlySet<string>;
  /** Marks on the graph's tasks; its `selected` and `dimmed` apply to every view. */
  marks: NodeMarks;
  /** The tasks of the critical path, marked on the timeline. */
  critical: ReadonlySet<string>;
  choices: { status: string[]; kind: string[]; fn: string[] };
  filter: TaskFilter;
  onFilter(filter: TaskFilter): void;
  onToggleGroup(key: string): void;
  onSelect(key: string | undefined): void;
  /** Selects a task and brings it into view on the graph, opening the groups around it. */
  onReveal(key: string): void;
  focus: string | undefined;
  onFocused(): void;
}

/** The three views of the run (graph, timeline, conversations) under their tabs, with the filters. */
export function MainViews(props: MainViewsProps) {
  const { view, onView, index, marks, filter, onSelect, onReveal } = props;
  const showInGraph = useCallback(
    (key: string) => {
      onView('graph');
      onReveal(key);
    },
    [onView, onReveal],
  );
  return (
    <section className="tg-views">
      <div className="tg-view-bar">
        <nav className="tg-tabs" aria-label="Views">
          {VIEWS.map(([name, label]) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={view === name}
              onClick={() => onView(name)}
            >
              {label}
            </button>
          ))}
        </nav>
        <FilterBar
          choices={props.choices}
          filter={filter}
          matching={index.tasks.size - (marks.dimmed?.size ?? 0)}
          total={index.tasks.size}
          onChange={props.onFilter}
        />
      </div>
      {view === 'graph' ? (
        <GraphCanvas
          index={index}
          groups={props.groups}
          toggled={props.toggled}
          marks={marks}
          onToggleGroup={props.onToggleGroup}
          onSelect={onSelect}
          focus={props.focus}
          onFocused={props.onFocused}
        />
      ) : view === 'timeline' ? (
        <TimelineView
          index={index}
          critical={props.critical}
          selected={marks.selected}
          dimmed={marks.dimmed}
          onSelect={onSelect}
        />
      ) : (
        <ConversationView
          index={index}
          selected={marks.selected}
          onSelect={onSelect}
          onShowInGraph={showInGraph}
        />
      )}
    </section>
  );
}
