import { describe, expect, test } from 'vitest';
import { planReruns, type DiskView, type WatchState } from '../src/watch/plan-reruns.js';

function state(files: string[], inputs: Record<string, string[]> = {}): WatchState {
  return { files: new Set(files), inputs: new Map(Object.entries(inputs).map(([input, readers]) => [input, new Set(readers)])) };
}

function disk(present: string[], members: string[] = present): DiskView & { membersAsked: number } {
  const view = {
    membersAsked: 0,
    exists: (path: string) => present.includes(path),
    members: () => {
      view.membersAsked++;
      return new Set(members);
    },
  };
  return view;
}

describe('planReruns', () => {
  test('a changed request file re-runs alone', () => {
    const watched = state(['/p/a.http', '/p/b.http']);
    expect(planReruns(watched, ['/p/b.http'], disk(['/p/a.http', '/p/b.http']))).toEqual({
      rerun: ['/p/b.http'], added: [], removed: [], configChanged: false, unclaimed: [],
    });
  });

  test('an input re-runs exactly the files that read it, in watch order', () => {
    const watched = state(['/p/a.http', '/p/b.http', '/p/c.http'], { '/p/body.json': ['/p/c.http', '/p/a.http'] });
    const plan = planReruns(watched, ['/p/body.json'], disk(['/p/a.http', '/p/b.http', '/p/c.http', '/p/body.json']));
    expect(plan.rerun).toEqual(['/p/a.http', '/p/c.http']);
    expect(plan.configChanged).toBe(false);
  });

  test('an env file that files read re-runs them and marks the config cache stale', () => {
    const watched = state(['/p/a.http', '/p/sub/b.http'], { '/p/http-client.env.json': ['/p/a.http'] });
    const plan = planReruns(watched, ['/p/http-client.env.json'], disk(['/p/a.http', '/p/sub/b.http']));
    expect(plan.rerun).toEqual(['/p/a.http']);
    expect(plan.configChanged).toBe(true);
  });

  test('a config file nobody read yet re-runs the files in its folder and below, not beside it', () => {
    const watched = state(['/p/a.http', '/p/api/users.http', '/p/api/v2/items.http', '/p/apis/x.http']);
    const plan = planReruns(watched, ['/p/api/.env'], disk([]));
    expect(plan.rerun).toEqual(['/p/api/users.http', '/p/api/v2/items.http']);
    expect(plan.configChanged).toBe(true);
    expect(plan.unclaimed).toEqual([]);
  });

  test('a name like a config file that loadEnvironment does not read is not a config change', () => {
    const watched = state(['/p/a.http']);
    const plan = planReruns(watched, ['/p/.envrc', '/p/http-client.env.json.bak'], disk([]));
    expect(plan).toMatchObject({ rerun: [], configChanged: false, unclaimed: ['/p/.envrc', '/p/http-client.env.json.bak'] });
  });

  test('a deleted request file is removed and not re-run, even when an input of it changed too', () => {
    const watched = state(['/p/a.http', '/p/b.http'], { '/p/body.json': ['/p/a.http', '/p/b.http'] });
    const plan = planReruns(watched, ['/p/a.http', '/p/body.json'], disk(['/p/b.http', '/p/body.json']));
    expect(plan.removed).toEqual(['/p/a.http']);
    expect(plan.rerun).toEqual(['/p/b.http']);
  });

  test('a new request file is added when the watched paths match it, and runs after the others', () => {
    const watched = state(['/p/b.http'], { '/p/.env': ['/p/b.http'] });
    const view = disk(['/p/a.http', '/p/b.http'], ['/p/a.http', '/p/b.http']);
    const plan = planReruns(watched, ['/p/a.http', '/p/.env'], view);
    expect(plan.added).toEqual(['/p/a.http']);
    expect(plan.rerun).toEqual(['/p/b.http', '/p/a.http']);
    expect(view.membersAsked).toBe(1);
  });

  test('a new request file the watched paths do not match (a dot-folder, another glob) is ignored', () => {
    const watched = state(['/p/a.http']);
    const plan = planReruns(watched, ['/p/.hidden/x.http'], disk(['/p/a.http', '/p/.hidden/x.http'], ['/p/a.http']));
    expect(plan).toMatchObject({ rerun: [], added: [], unclaimed: ['/p/.hidden/x.http'] });
  });

  test('the members walk is not asked for when no unknown request file appeared', () => {
    const view = disk(['/p/a.http']);
    planReruns(state(['/p/a.http']), ['/p/a.http', '/p/notes.md'], view);
    expect(view.membersAsked).toBe(0);
  });

  test('a request file created and deleted within one burst is neither added nor removed', () => {
    const plan = planReruns(state(['/p/a.http']), ['/p/tmp.http'], disk(['/p/a.http']));
    expect(plan).toMatchObject({ rerun: [], added: [], removed: [] });
  });

  test('an unrelated file is unclaimed: a run in flight may yet show that it reads it', () => {
    const plan = planReruns(state(['/p/a.http']), ['/p/new-body.json'], disk(['/p/a.http', '/p/new-body.json']));
    expect(plan).toMatchObject({ rerun: [], unclaimed: ['/p/new-body.json'] });
  });
});
