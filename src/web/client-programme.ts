// The workbench's second script: the views after the records are checked — 对接, 项目, 评审, 文书.
// Checked TypeScript sent as the compiled text of one self-contained function (see ./client.ts);
// the first script switches views and tells this one which to draw ('xietong:view'). Renders with
// textContent only: names and values read off paper never become markup.
// Over 400 lines because it is one function by necessity: the browser receives it whole.

export function programmeScript(): string {
  return `"use strict";var __name=function(f){return f};(${programmeClient.toString()})();`;
}

interface Suggestion {
  rank: number;
  registrationId: string;
  professional: string;
  team: string | null;
  unit: string | null;
  professionalTitle: string | null;
  score: number;
  why: string;
}
interface MatchData {
  records: number;
  total: number;
  pending: number;
  professionals: number;
  projects: Record<string, string>;
  demands: { demandId: string; enterprise: string; suggestions: Suggestion[]; note?: string }[];
  problems: { problemId: string; title: string; suggestions: Suggestion[]; note?: string }[];
}
interface Project {
  id: string;
  title: string;
  state: string;
  enterprise: Record<string, string | null | undefined>;
  professional: Record<string, string | number | null | undefined>;
  dispatchingUnit: Record<string, string | null | undefined>;
  tasks: { duty: string }[];
  goals: string[];
  position?: string | null;
  term: { start?: string | null; end?: string | null };
  fullTime: boolean;
  daysPerMonth?: number | null;
  daysPerYear?: number | null;
  funding: { requested?: number | null; granted?: number | null; enterprise?: number | null };
}
interface Summary {
  project: Project;
  version: string;
  stateName: string;
  next: { state: string; name: string }[];
}
interface Detail extends Summary {
  history: { at: string; by: string; from: string | null; to: string; note?: string }[];
  changes: { at: string; by: string; path: string }[];
  agreement: { problems: { message: string }[] };
}
interface Ranked {
  projectId: string;
  title: string | null;
  enterprise: string | null;
  professional: string | null;
  experts: unknown[];
  used: number;
  mean: number | null;
  rank: number | null;
  requested: number | null;
  proposed: number | null;
  note: string;
}
interface Ranking {
  projects: Ranked[];
  totalProposed: number;
  budget: number | null;
}

function programmeClient(): void {
  const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
    const e = document.getElementById(id);
    if (!e) throw new Error(`missing #${id}`);
    return e as T;
  };
  function el(tag: string, text?: string, cls?: string): HTMLElement {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function link(text: string, href: string): HTMLAnchorElement {
    const a = document.createElement('a');
    a.textContent = text;
    a.href = href;
    return a;
  }
  function next(...parts: (string | HTMLElement)[]): HTMLElement {
    const p = el('p', undefined, 'next');
    p.append('下一步：', ...parts);
    return p;
  }
  function say(into: HTMLElement, ok: boolean, ...parts: (string | HTMLElement)[]): void {
    into.className = `msg ${ok ? 'ok' : 'error'}`;
    into.replaceChildren(...parts);
  }
  /** 核对人, typed once at the top of the page: every change is kept with who made it. */
  function who(msg: HTMLElement): string | undefined {
    const input = $<HTMLInputElement>('by');
    const by = input.value.trim();
    if (by) {
      input.classList.remove('missing');
      return by;
    }
    input.classList.add('missing');
    input.focus();
    say(msg, false, '请先在右上角填写核对人（经办人）姓名。');
    return undefined;
  }
  async function api<T>(
    method: string,
    url: string,
    body?: unknown,
    raw?: Blob,
  ): Promise<{ ok: boolean; status: number; data: T & { message?: string } }> {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: raw
          ? { 'content-type': 'application/octet-stream' }
          : body === undefined
            ? {}
            : { 'content-type': 'application/json' },
        body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
    } catch {
      return {
        ok: false,
        status: 0,
        data: { message: '连不上 xietong：命令行里的 xietong serve 是否已关闭？' } as T & {
          message?: string;
        },
      };
    }
    const data = (await res.json().catch(() => ({}))) as T & { message?: string };
    return { ok: res.ok, status: res.status, data };
  }
  const failed = (r: { status: number; data: { message?: string } }) =>
    r.data.message ?? `操作失败（${r.status}）`;
  function empty(into: HTMLElement, ...parts: (string | HTMLElement)[]): void {
    into.replaceChildren(el('strong', '还不能开始。'), ' ', ...parts);
  }

  // ---- 对接 ----

  let match: MatchData | undefined;
  const picked = new Set<string>();

  async function showMatch(): Promise<void> {
    const text = $('match-text');
    const list = $('match-list');
    text.textContent = '正在计算对接建议…';
    const r = await api<MatchData>('GET', '/api/match');
    if (!r.ok) {
      text.textContent = failed(r);
      return;
    }
    match = r.data;
    picked.clear();
    const m = r.data;
    $('match-confirm').hidden = true;
    if (m.total === 0) {
      list.replaceChildren();
      return empty(text, '先到 ', link('「导入」', '#import'), ' 导入表格，核对后再对接。');
    }
    if (m.records === 0) {
      list.replaceChildren();
      return empty(
        text,
        `只有核对通过的记录参与对接，现在 ${m.pending} 份都还没有核对。到 `,
        link('「核对」', '#review'),
        ' 核对后再来。',
      );
    }
    text.replaceChildren(
      `根据已核对的 ${m.records} 份记录，为 ${m.demands.length} 份企业需求和 ${m.problems.length} 项技术难题推荐人才（共 ${m.professionals} 名人才或团队）。` +
        '分数越高，需求与人才擅长领域、拟开展工作中相同或相近的词越多；理由列出这些词和它们出现的栏目。' +
        (m.pending > 0 ? `另有 ${m.pending} 份记录尚未核对，没有参与。` : ''),
    );
    const boxes: HTMLElement[] = [];
    for (const d of m.demands) {
      boxes.push(block(`需求 ${d.enterprise}`, d.demandId, d.suggestions, d.note, 'demand', d.demandId));
    }
    for (const p of m.problems) {
      boxes.push(block(`难题 ${p.title}`, p.problemId, p.suggestions, p.note, 'problem', p.problemId));
    }
    list.replaceChildren(...boxes);
    $('match-confirm').hidden = m.demands.length === 0;
    updatePicked();
  }

  function block(
    head: string,
    id: string,
    suggestions: Suggestion[],
    note: string | undefined,
    kind: 'demand' | 'problem',
    itemId: string,
  ): HTMLElement {
    const box = el('div', undefined, 'card demand');
    const h = el('h3', head);
    h.append(el('small', id));
    box.append(h);
    if (suggestions.length === 0) {
      box.append(el('p', note ?? '没有合适的人选。'));
      return box;
    }
    if (kind === 'problem') box.append(el('p', '技术难题的对接由科技局另行联系，暂不在此建立项目。', 'hint'));
    const table = el('table', undefined, 'sugg');
    const head2 = el('tr');
    for (const t of [
      '确认',
      '名次',
      '人才（团队）',
      '单位与职称',
      '得分',
      '理由（相同或相近的词〔需求栏目 → 报名栏目〕）',
    ]) {
      head2.append(el('th', t));
    }
    table.append(head2);
    for (const s of suggestions) {
      const tr = el('tr');
      const pick = el('td', undefined, 'pick');
      const made = match?.projects[`${itemId} ${s.registrationId}`];
      if (made) pick.append(el('span', '✓', 'made'));
      else if (kind === 'demand') {
        const box2 = document.createElement('input');
        box2.type = 'checkbox';
        box2.dataset.pair = `${itemId} ${s.registrationId}`;
        box2.setAttribute('aria-label', `确认 ${head} 与 ${s.professional}`);
        box2.addEventListener('change', () => {
          if (box2.checked) picked.add(box2.dataset.pair ?? '');
          else picked.delete(box2.dataset.pair ?? '');
          updatePicked();
        });
        pick.append(box2);
      }
      const person = el('td', s.team ? `${s.professional}（${s.team}）` : s.professional);
      if (made) person.append(el('div', `已建项目 ${made}`, 'made'));
      tr.append(
        pick,
        el('td', String(s.rank), 'num'),
        person,
        el('td', [s.unit, s.professionalTitle].filter(Boolean).join('，')),
        el('td', String(s.score), 'score'),
        el('td', s.why, 'why'),
      );
      table.append(tr);
    }
    box.append(table);
    return box;
  }

  function updatePicked(): void {
    const go = $<HTMLButtonElement>('match-go');
    go.disabled = picked.size === 0;
    go.textContent = picked.size ? `确认勾选的对接（${picked.size} 对）` : '确认勾选的对接';
  }

  $('match-go').addEventListener('click', async () => {
    const msg = $('match-msg');
    const by = who(msg);
    if (!by) return;
    const start = $<HTMLInputElement>('match-start').value;
    const months = Number($<HTMLInputElement>('match-months').value) || undefined;
    const pairs = [...picked].map((p) => {
      const [demandId = '', registrationId = ''] = p.split(' ');
      return { kind: 'demand' as const, demandId, registrationId };
    });
    const r = await api<{
      created: { project: { id: string }; missing: string[] }[];
      existing: unknown[];
      skipped: { pair: string; problems: string[] }[];
      unknown: unknown[];
    }>('POST', '/api/match/confirm', { by, pairs, ...(start ? { start } : {}), months });
    if (!r.ok) return say(msg, false, failed(r));
    const d = r.data;
    const parts: (string | HTMLElement)[] = [
      `已建立项目 ${d.created.length} 个：${d.created.map((c) => c.project.id).join('、') || '无'}。`,
    ];
    if (d.existing.length) parts.push(`另有 ${d.existing.length} 对此前已建项目，未改动。`);
    for (const s of d.skipped) parts.push(el('p', `${s.pair}：${s.problems.join('；')}`, 'fail'));
    if (d.unknown.length)
      parts.push(el('p', `${d.unknown.length} 对已不在建议中（记录可能被改动），请刷新后再看。`, 'fail'));
    parts.push(next('到 ', link('「项目」', '#projects'), ' 填写三方条款（考核指标、期限、经费等）。'));
    await showMatch();
    say(msg, d.created.length > 0 || d.existing.length > 0, ...parts);
    $('match-confirm').hidden = false;
  });

  // ---- 项目 ----

  let projects: Summary[] = [];
  let duties: { duty: string; name: string }[] = [];
  let current: Detail | undefined;

  async function showProjects(focus?: string): Promise<void> {
    const text = $('projects-text');
    const r = await api<{ projects: Summary[]; duties: typeof duties }>('GET', '/api/projects');
    if (!r.ok) {
      text.textContent = failed(r);
      return;
    }
    projects = r.data.projects;
    duties = r.data.duties;
    const list = $('project-list');
    if (projects.length === 0) {
      list.replaceChildren();
      $('project').hidden = true;
      return empty(
        text,
        '还没有项目。到 ',
        link('「对接」', '#match'),
        ' 勾选并确认企业需求与人才的对接，每对建立一个项目。',
      );
    }
    text.textContent = `共 ${projects.length} 个项目。选择左侧的项目，填写三方条款，并在各方签字、评审、资助、验收后变更状态。`;
    list.replaceChildren(
      ...projects.map((s) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.dataset.id = s.project.id;
        b.append(`${s.project.id} ${s.project.enterprise.name ?? ''}`);
        b.append(el('small', `${s.project.professional.name ?? ''} · ${s.stateName}`));
        b.addEventListener('click', () => void openProject(s.project.id));
        return b;
      }),
    );
    const id = focus ?? current?.project.id ?? projects[0]?.project.id;
    if (id) await openProject(id);
  }

  type Field = { path: string; label: string; type?: 'text' | 'date' | 'number'; wide?: boolean };
  const GROUPS: { legend: string; fields: Field[] }[] = [
    {
      legend: '项目',
      fields: [
        { path: 'title', label: '项目名称', wide: true },
        { path: 'position', label: '协同创新岗位（职务）' },
      ],
    },
    {
      legend: '甲方（企业）',
      fields: [
        { path: 'enterprise.name', label: '企业名称' },
        { path: 'enterprise.legalRepresentative', label: '法定代表人' },
        { path: 'enterprise.contactPerson', label: '联系人' },
        { path: 'enterprise.contactPhone', label: '联系电话' },
        { path: 'enterprise.address', label: '地址', wide: true },
      ],
    },
    {
      legend: '乙方（入企人才或团队带头人）',
      fields: [
        { path: 'professional.name', label: '姓名' },
        { path: 'professional.professionalTitle', label: '职称' },
        { path: 'professional.employerAndPosition', label: '现工作单位及职务' },
        { path: 'professional.phone', label: '联系电话' },
      ],
    },
    {
      legend: '丙方（派出单位）',
      fields: [
        { path: 'dispatchingUnit.name', label: '单位名称' },
        { path: 'dispatchingUnit.legalRepresentative', label: '法定代表人' },
        { path: 'dispatchingUnit.contactPerson', label: '联系人' },
        { path: 'dispatchingUnit.contactPhone', label: '联系电话' },
        { path: 'dispatchingUnit.address', label: '地址', wide: true },
      ],
    },
    {
      legend: '期限与方式',
      fields: [
        { path: 'term.start', label: '开始日期', type: 'date' },
        { path: 'term.end', label: '结束日期', type: 'date' },
        { path: 'daysPerMonth', label: '每月在企天数（兼职）', type: 'number' },
        { path: 'daysPerYear', label: '每年在企天数', type: 'number' },
      ],
    },
    {
      legend: '经费（万元）',
      fields: [
        { path: 'funding.requested', label: '申请资助（3–20）', type: 'number' },
        { path: 'funding.granted', label: '核定资助', type: 'number' },
        { path: 'funding.enterprise', label: '企业配套', type: 'number' },
      ],
    },
  ];
  const get = (o: unknown, path: string): unknown =>
    path
      .split('.')
      .reduce<unknown>(
        (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
        o,
      );
  const inputId = (path: string) => `t-${path.replace(/\./g, '-')}`;

  async function openProject(id: string): Promise<void> {
    const r = await api<Detail>('GET', `/api/projects/${encodeURIComponent(id)}`);
    if (!r.ok) {
      $('projects-text').textContent = failed(r);
      return;
    }
    const d = r.data;
    current = d;
    for (const b of document.querySelectorAll<HTMLButtonElement>('#project-list button')) {
      b.classList.toggle('current', b.dataset.id === id);
    }
    $('project').hidden = false;
    $('p-head').textContent = `${d.project.id} ${d.project.title}`;
    $('p-state').textContent = d.stateName;
    const nextBox = $('p-next');
    nextBox.replaceChildren(
      ...(d.next.length === 0
        ? [el('span', '这是最终状态，不能再变更。', 'hint')]
        : d.next.map((n) => {
            const b = document.createElement('button');
            b.type = 'button';
            b.className = 'primary';
            b.dataset.state = n.state;
            b.textContent = `改为「${n.name}」`;
            b.addEventListener('click', () => void move(n.state, n.name));
            return b;
          })),
    );
    const ready = $('p-ready');
    if (d.agreement.problems.length > 0) {
      ready.className = 'msg error';
      const ul = el('ul');
      for (const p of d.agreement.problems) ul.append(el('li', p.message));
      ready.replaceChildren('正式的三方协议还不能生成（草稿可以）：', ul);
    } else {
      ready.className = 'msg ok';
      ready.textContent = '条款已齐，可以生成正式的三方协议。';
    }
    const fields = $('p-fields');
    const sets: HTMLElement[] = [];
    for (const g of GROUPS) {
      const fs = el('fieldset');
      fs.append(el('legend', g.legend));
      const grid = el('div', undefined, 'grid');
      for (const f of g.fields) {
        const label = el('label', f.label);
        if (f.wide) label.classList.add('wide');
        const input = document.createElement('input');
        input.id = inputId(f.path);
        input.type = f.type ?? 'text';
        if (f.type === 'number') input.step = 'any';
        const v = get(d.project, f.path);
        input.value = v === null || v === undefined ? '' : String(v);
        label.append(input);
        grid.append(label);
      }
      fs.append(grid);
      sets.push(fs);
    }
    const mode = el('fieldset');
    mode.append(el('legend', '入企方式'));
    for (const [value, name] of [
      ['full', '全职入企（派出单位同意暂时脱离原岗位）'],
      ['part', '兼职入企'],
    ] as const) {
      const label = el('label');
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = 't-mode';
      radio.value = value;
      radio.checked = d.project.fullTime === (value === 'full');
      label.append(radio, ` ${name}`);
      mode.append(label);
    }
    const tasks = el('fieldset', undefined, 'checks');
    tasks.append(el('legend', '合作任务（通知 四（一））'));
    for (const t of duties) {
      const label = el('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.name = 't-task';
      box.value = t.duty;
      box.checked = d.project.tasks.some((x) => x.duty === t.duty);
      label.append(box, ` ${t.name}`);
      tasks.append(label);
    }
    const goals = el('fieldset');
    goals.append(el('legend', '考核指标（每行一条，具体、可检查）'));
    const area = document.createElement('textarea');
    area.id = 't-goals';
    area.rows = 4;
    area.value = d.project.goals.join('\n');
    goals.append(area);
    fields.replaceChildren(sets[0] ?? el('div'), goals, tasks, ...sets.slice(1, 4), mode, ...sets.slice(4));
    $('p-msg').replaceChildren();
    $('p-state-msg').replaceChildren();
    const history = $('p-history');
    history.replaceChildren(
      ...d.history.map((h) =>
        el(
          'li',
          `${h.at.slice(0, 16).replace('T', ' ')} ${h.by}：${h.from ? `${stateName(h.from)} → ` : '建立为 '}${stateName(h.to)}${h.note ? `（${h.note}）` : ''}`,
        ),
      ),
      ...(d.changes.length
        ? [el('li', `条款修改 ${d.changes.length} 处，最近一次 ${d.changes.at(-1)?.by ?? ''}`)]
        : []),
    );
  }
  const STATE_NAMES: Record<string, string> = {
    matched: '已对接',
    agreed: '已签订三方协议',
    evaluated: '已评审',
    funded: '已立项资助',
    underway: '实施中',
    accepted: '验收通过',
    notAccepted: '验收未通过',
  };
  const stateName = (s: string) => STATE_NAMES[s] ?? s;
  const NEXT_STEP: Record<string, string> = {
    agreed: '到「评审」下载评分录入表，组织专家现场评审。',
    evaluated: '到「评审」看排名与经费建议，确定资助后改为「已立项资助」。',
    funded: '资助下达、人才入企后改为「实施中」。',
    underway: '期满后组织验收，再改为「验收通过」或「验收未通过」。',
    accepted: '到「文书」生成验收证书。',
    notAccepted: '项目已结束。',
  };

  function terms(): Record<string, unknown> {
    const out: Record<string, Record<string, unknown>> = {};
    const top: Record<string, unknown> = {};
    for (const g of GROUPS) {
      for (const f of g.fields) {
        const raw = $<HTMLInputElement>(inputId(f.path)).value.trim();
        const value = f.type === 'number' ? (raw === '' ? null : Number(raw)) : raw;
        const [a = '', b] = f.path.split('.');
        if (b === undefined) top[a] = value;
        else {
          const group = out[a] ?? {};
          group[b] = value;
          out[a] = group;
        }
      }
    }
    const mode = document.querySelector<HTMLInputElement>('input[name="t-mode"]:checked');
    return {
      ...top,
      ...out,
      fullTime: mode?.value === 'full',
      tasks: [...document.querySelectorAll<HTMLInputElement>('input[name="t-task"]:checked')].map(
        (b) => b.value,
      ),
      goals: $<HTMLTextAreaElement>('t-goals')
        .value.split('\n')
        .map((g) => g.trim())
        .filter(Boolean),
    };
  }

  $('p-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const msg = $('p-msg');
    const by = who(msg);
    if (!by || !current) return;
    const r = await api<{ outcome: string; problems?: string[] }>(
      'POST',
      `/api/projects/${encodeURIComponent(current.project.id)}/terms`,
      { by, version: current.version, terms: terms() },
    );
    if (!r.ok) {
      const list = el('ul');
      for (const p of r.data.problems ?? []) list.append(el('li', p));
      if (r.status === 409) {
        // Someone saved this project meanwhile: what this clerk typed stays on the page until they
        // choose to load the other version.
        const reload = el('button', '重新载入（放弃未保存的修改）');
        (reload as HTMLButtonElement).type = 'button';
        const id = current.project.id;
        reload.addEventListener('click', () => void openProject(id));
        return say(msg, false, `${failed(r)} 您填写的内容仍在页面上。`, reload);
      }
      return say(
        msg,
        false,
        r.data.problems ? '条款没有保存，请改正：' : failed(r),
        ...(r.data.problems ? [list] : []),
      );
    }
    const id = current.project.id;
    await showProjects(id);
    say(
      $('p-msg'),
      true,
      r.data.outcome === 'unchanged' ? '条款没有变化。' : '条款已保存（修改均留痕）。',
      next(
        '到 ',
        link('「文书」', '#documents'),
        ' 生成三方协议草稿供三方核对；签订后在上方点「改为「已签订三方协议」」。',
      ),
    );
  });

  async function move(to: string, name: string): Promise<void> {
    const msg = $('p-state-msg');
    const by = who(msg);
    if (!by || !current) return;
    const note = $<HTMLInputElement>('p-note').value.trim();
    const r = await api<unknown>('POST', `/api/projects/${encodeURIComponent(current.project.id)}/state`, {
      by,
      version: current.version,
      to,
      ...(note ? { note } : {}),
    });
    if (!r.ok) {
      // A project moved or edited meanwhile: show it as it is now, then say why nothing changed.
      if (r.status === 409) await showProjects(current.project.id);
      return say($('p-state-msg'), false, failed(r));
    }
    const id = current.project.id;
    await showProjects(id);
    $<HTMLInputElement>('p-note').value = '';
    say($('p-state-msg'), true, `已改为「${name}」。`, next(NEXT_STEP[to] ?? ''));
  }

  // ---- 评审 ----

  async function showScores(): Promise<void> {
    const text = $('scores-text');
    const r = await api<{
      received: string[];
      ranking: Ranking | null;
      projects: { id: string; state: string }[];
    }>('GET', '/api/scores');
    if (!r.ok) {
      text.textContent = failed(r);
      return;
    }
    const { received, ranking, projects: ps } = r.data;
    const ready = ps.filter((p) => p.state !== 'matched').length;
    if (ps.length === 0) empty(text, '还没有项目。先到 ', link('「对接」', '#match'), ' 确认对接。');
    else if (ready === 0)
      empty(
        text,
        `${ps.length} 个项目都还没有签订三方协议。到 `,
        link('「项目」', '#projects'),
        ' 把签订了的项目改为「已签订三方协议」。',
      );
    else
      text.textContent = `${ready} 个项目已签订三方协议，可以评审${ps.length > ready ? `（另有 ${ps.length - ready} 个尚未签订，不在评分表中）` : ''}。`;
    $('s-received').textContent = received.length ? `已收到：${received.join('、')}` : '还没有收到评分表。';
    renderRanking(ranking);
  }

  function renderRanking(ranking: Ranking | null): void {
    const box = $('s-ranking');
    $('s-summary').hidden = !ranking;
    if (!ranking) {
      box.replaceChildren(el('p', '导入评分后，这里列出排名和建议资助金额。', 'hint'));
      return;
    }
    const table = el('table', undefined, 'rank');
    const head = el('tr');
    for (const t of [
      '排名',
      '项目',
      '企业',
      '人才（团队）',
      '平均分',
      '专家（计分）',
      '申请',
      '建议资助',
      '说明',
    ])
      head.append(el('th', t));
    table.append(head);
    for (const p of ranking.projects) {
      const tr = el('tr');
      tr.append(
        el('td', p.rank === null ? '—' : String(p.rank), 'num'),
        el('td', p.projectId),
        el('td', p.enterprise ?? ''),
        el('td', p.professional ?? ''),
        el('td', p.mean === null ? '—' : p.mean.toFixed(2), 'num'),
        el('td', `${p.experts.length}（${p.used}）`, 'num'),
        el('td', p.requested === null ? '—' : String(p.requested), 'num'),
        el('td', p.proposed === null ? '不资助' : `${p.proposed} 万元`, 'num'),
        el('td', p.note, 'why'),
      );
      table.append(tr);
    }
    box.replaceChildren(
      table,
      el(
        'p',
        `建议资助合计 ${ranking.totalProposed} 万元${ranking.budget !== null ? `（年度预算 ${ranking.budget} 万元）` : ''}。`,
        'result',
      ),
      next(
        '到 ',
        link('「文书」', '#documents'),
        ' 生成「评审结果与经费建议」；到 ',
        link('「项目」', '#projects'),
        ' 把评审过的项目改为「已评审」。',
      ),
    );
  }

  $('s-experts').addEventListener('input', () => {
    const n = Number($<HTMLInputElement>('s-experts').value) || 3;
    $<HTMLAnchorElement>('s-workbook').href = `/api/scores/workbook?experts=${n}`;
  });
  $('s-workbook').addEventListener('click', () => {
    say($('s-workbook-msg'), true, '评分录入表正在下载。', next('专家现场打分后，把填好的表在右边上传。'));
  });
  const scoreFiles = $<HTMLInputElement>('s-files');
  scoreFiles.addEventListener('change', () => {
    const files = Array.from(scoreFiles.files ?? []);
    $<HTMLButtonElement>('s-upload').disabled = files.length === 0;
    $('s-chosen').textContent = files.length
      ? `已选 ${files.length} 个文件：${files.map((f) => f.name).join('、')}`
      : '点击这里选择评分表（.xlsx）';
  });
  $('s-upload').addEventListener('click', async () => {
    const msg = $('s-msg');
    const by = who(msg);
    if (!by) return;
    for (const f of Array.from(scoreFiles.files ?? [])) {
      const up = await api<unknown>(
        'POST',
        `/api/scores/files?name=${encodeURIComponent(f.name)}`,
        undefined,
        f,
      );
      if (!up.ok) return say(msg, false, `${f.name}：${failed(up)}`);
    }
    const r = await api<{
      ranking: Ranking;
      issues: { severity: string; workbook: string; cell?: string; message: string }[];
      counted: number;
      updated: string[];
    }>('POST', '/api/scores/import', { by });
    if (!r.ok) return say(msg, false, failed(r));
    const errors = r.data.issues.filter((i) => i.severity === 'error');
    const list = el('ul');
    for (const i of r.data.issues.slice(0, 20))
      list.append(el('li', `${i.workbook}${i.cell ? ` ${i.cell}` : ''}：${i.message}`));
    await showScores();
    say(
      msg,
      r.data.counted > 0,
      r.data.counted > 0
        ? `读入评分 ${r.data.counted} 条，已写回 ${r.data.updated.length} 个项目的平均分、排名和建议经费。`
        : '没有读到有效评分。',
      ...(r.data.issues.length
        ? [el('p', `问题 ${r.data.issues.length} 项（错误 ${errors.length} 项，有错的行不计分）：`), list]
        : []),
      next(r.data.counted > 0 ? '看下方排名与经费建议。' : '改正上面列出的单元格后重新上传。'),
    );
  });

  // ---- 文书 ----

  interface DocsData {
    kinds: { kind: string; name: string; about: string; perProject: boolean; seal: boolean }[];
    seals: { file: string; organisation: string }[];
    projects: { id: string; title: string; stateName: string }[];
  }

  async function showDocuments(): Promise<void> {
    const text = $('docs-text');
    const r = await api<DocsData>('GET', '/api/documents');
    if (!r.ok) {
      text.textContent = failed(r);
      return;
    }
    const d = r.data;
    if (d.projects.length === 0) empty(text, '还没有项目。先到 ', link('「对接」', '#match'), ' 确认对接。');
    else
      text.textContent =
        '选择文书和项目，生成后逐份下载或下载合并的打印文件。草稿可随时生成；正式稿要求记录已核对、条款已填全。';
    const kinds = $('d-kinds');
    const had = new Set([...kinds.querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value));
    kinds.replaceChildren(
      ...d.kinds.map((k, i) => {
        const label = el('label');
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.value = k.kind;
        box.checked = had.size ? had.has(k.kind) : i === 0;
        label.append(box, ` ${k.name}`, el('small', k.about));
        return label;
      }),
    );
    $('d-projects').replaceChildren(
      ...d.projects.map((p) => {
        const label = el('label');
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.value = p.id;
        box.checked = true;
        label.append(box, ` ${p.id} ${p.title}`, el('small', p.stateName));
        return label;
      }),
    );
    const seal = $<HTMLSelectElement>('d-seal');
    // A seal image goes on the PDF: choosing one asks for the PDF too.
    seal.onchange = () => {
      if (seal.value) $<HTMLInputElement>('d-pdf').checked = true;
    };
    const chosen = seal.value;
    seal.replaceChildren(el('option', '留空，打印后手工盖章'));
    (seal.firstElementChild as HTMLOptionElement).value = '';
    for (const s of d.seals) {
      const o = document.createElement('option');
      o.value = s.file;
      o.textContent = `盖「${s.organisation}」印章图片`;
      seal.append(o);
    }
    seal.value = d.seals.some((s) => s.file === chosen) ? chosen : '';
  }

  $('d-seal-file').addEventListener('change', async () => {
    const input = $<HTMLInputElement>('d-seal-file');
    const f = input.files?.[0];
    if (!f) return;
    const r = await api<{ saved: string }>(
      'POST',
      `/api/seals?name=${encodeURIComponent(f.name)}`,
      undefined,
      f,
    );
    const box = $('d-result');
    box.hidden = false;
    if (!r.ok) {
      box.replaceChildren(el('p', failed(r), 'result bad'));
      return;
    }
    await showDocuments();
    $<HTMLSelectElement>('d-seal').value = r.data.saved;
    $<HTMLInputElement>('d-pdf').checked = true;
    box.replaceChildren(
      el('p', `已添加印章图片 ${r.data.saved}，并已选中。`, 'result ok'),
      next('勾选文书和项目后点「生成文书」：印章盖在该单位的盖章处（只在 PDF 上，需要 LibreOffice）。'),
    );
  });

  $('d-go').addEventListener('click', async () => {
    const box = $('d-result');
    box.hidden = false;
    box.className = 'job';
    const kinds = [...document.querySelectorAll<HTMLInputElement>('#d-kinds input:checked')].map(
      (b) => b.value,
    );
    const projectIds = [...document.querySelectorAll<HTMLInputElement>('#d-projects input:checked')].map(
      (b) => b.value,
    );
    const draft =
      document.querySelector<HTMLInputElement>('input[name="d-draft"]:checked')?.value !== 'final';
    const seal = $<HTMLSelectElement>('d-seal').value;
    const pdf = $<HTMLInputElement>('d-pdf').checked;
    const printFile = $<HTMLInputElement>('d-print').checked;
    box.replaceChildren(
      el('p', pdf || seal || printFile ? '正在生成（PDF 每份约需数秒）…' : '正在生成…', 'result'),
    );
    $<HTMLButtonElement>('d-go').disabled = true;
    const r = await api<{
      files: {
        kindName: string;
        id: string;
        href: string;
        name: string;
        missing: string[];
        warnings: string[];
      }[];
      failures: { kindName: string; id: string; message: string }[];
      skipped: { kindName: string; id: string; reason: string }[];
      printFile: { href: string; name: string } | null;
    }>('POST', '/api/documents', { kinds, projectIds, draft, pdf, printFile, ...(seal ? { seal } : {}) });
    $<HTMLButtonElement>('d-go').disabled = false;
    if (!r.ok) {
      box.className = 'job bad';
      box.replaceChildren(el('p', failed(r), 'result bad'));
      return;
    }
    const d = r.data;
    const parts: HTMLElement[] = [
      el(
        'p',
        d.files.length ? `已生成 ${d.files.length} 份${draft ? '草稿' : '正式稿'}：` : '没有生成任何文书。',
        d.files.length ? 'result ok' : 'result bad',
      ),
    ];
    box.className = d.failures.length || !d.files.length ? 'job bad' : 'job done';
    const ul = el('ul', undefined, 'files');
    for (const f of d.files) {
      const li = el('li');
      const a = link(f.name, `/api/documents/file?path=${encodeURIComponent(f.href)}`);
      a.download = f.name;
      li.append(`${f.kindName} · ${f.id}：`, a);
      if (f.missing.length) li.append(el('div', `待补：${f.missing.join('、')}`, 'hint'));
      ul.append(li);
    }
    if (d.files.length) parts.push(ul);
    if (d.printFile) {
      const a = link(
        `下载打印文件 ${d.printFile.name}`,
        `/api/documents/file?path=${encodeURIComponent(d.printFile.href)}`,
      );
      a.className = 'button primary';
      a.download = d.printFile.name;
      parts.push(a);
    }
    for (const f of d.failures) parts.push(el('p', `${f.kindName} ${f.id}：${f.message}`, 'fail'));
    for (const s of d.skipped) parts.push(el('p', `${s.kindName} ${s.id} 未生成：${s.reason}`, 'hint'));
    parts.push(
      next(
        draft ? '请三方核对草稿；条款有误的到 ' : '打印后由各方签字盖章；签订后到 ',
        link('「项目」', '#projects'),
        draft ? ' 修改后重新生成，核对无误后生成正式稿。' : ' 变更项目状态。',
      ),
    );
    box.replaceChildren(...parts);
  });

  document.addEventListener('xietong:view', (e) => {
    const view = (e as CustomEvent<{ view: string }>).detail.view;
    if (view === 'match') void showMatch();
    else if (view === 'projects') void showProjects();
    else if (view === 'scores') void showScores();
    else if (view === 'documents') void showDocuments();
  });
}
