extension TerminalPage {
    /// The staff side of the page: "Checked ID by hand", "Refused sale" and
    /// "Report" (shown when the terminal has staff accounts), each behind a
    /// staff id and PIN prompt; a register entry is `POST /v1/terminal/register`,
    /// the report `GET /v1/terminal/report` with the PIN in headers. While the
    /// prompt is open (`body[data-staff=open]`) the scan input does not take
    /// focus back and the result does not clear. Keyboard only works: Tab moves,
    /// Enter submits, Escape cancels.
    static let staffStyle = #"""
        #actions { display: flex; flex-wrap: wrap; gap: .5em; justify-content: center; padding: .5em 1em 1em; }
        #actions[hidden] { display: none; }
        body.result-shown #actions { position: fixed; left: 0; right: 0; bottom: 2.6em; z-index: 20; }
        body.result-shown.staff #result { padding-bottom: 7.5em; }
        #result-headline.long { font-size: clamp(1.8rem, 6.5vw, 4.2rem); }
        #actions button { align-self: auto; font-weight: 600; }
        .sheet { position: fixed; inset: 0; z-index: 30; display: flex; align-items: center; justify-content: center;
          background: rgba(17, 24, 39, .72); padding: 1em; }
        .sheet[hidden] { display: none; }
        .sheet > form, .sheet > section { background: #fff; color: #111; border-radius: .6em; padding: 1.2em;
          width: min(100%, 30em); display: flex; flex-direction: column; gap: .6em; max-height: 100%; overflow: auto; }
        #report-view > section { width: min(100%, 46em); }
        .sheet h2 { margin: 0; font-size: 1.4em; }
        .sheet input, .sheet select { font-size: 1.1em; padding: .45em .5em; min-height: 44px; width: 100%; }
        .sheet .row { display: flex; gap: .6em; flex-wrap: wrap; }
        .sheet .row button { align-self: auto; }
        #staff-message { min-height: 1.4em; margin: 0; font-weight: 600; color: var(--bad); }
        #staff-message.ok { color: var(--ok); }
        #report-table { border-collapse: collapse; width: 100%; font-size: .9em; }
        #report-table th, #report-table td { border-bottom: 1px solid #ccd; padding: .3em .4em; text-align: left; }
        #report-table td:last-child, #report-table th:last-child { text-align: right; }
        """#

    static let staffScript = #"""
        (() => {
          'use strict';
          const $ = (id) => document.getElementById(id);
          const actions = $('actions'), sheet = $('staff'), form = $('staff-form'), title = $('staff-title');
          const reasonRow = $('staff-reason-row'), reason = $('staff-reason'), id = $('staff-id'), pin = $('staff-pin');
          const message = $('staff-message'), reportView = $('report-view');
          const TITLES = { manual_check: 'Checked ID by hand', refusal: 'Refused sale', report: "Today's report" };
          const WORDS = { no_code: 'No code', code_refused: 'Code refused', phone_dead: 'Phone dead', other: 'Other',
            no_id: 'No ID shown', underage: 'Under age', id_not_valid: 'ID not valid' };
          let reasons = {}, mode = null, opener = null;

          function open(kind) {
            mode = kind;
            opener = document.activeElement;
            document.body.dataset.staff = 'open';
            title.textContent = TITLES[kind];
            reasonRow.hidden = kind === 'report';
            reason.replaceChildren(...(reasons[kind] || []).map((r) => {
              const o = document.createElement('option');
              o.value = r; o.textContent = WORDS[r] || r;
              return o;
            }));
            pin.value = '';
            message.textContent = ''; message.className = '';
            sheet.hidden = false;
            // Keyboard first: the reason, else the staff id, else (id remembered) the PIN.
            (kind !== 'report' ? reason : (id.value ? pin : id)).focus();
          }

          function close() {
            sheet.hidden = true;
            reportView.hidden = true;
            delete document.body.dataset.staff;
            mode = null;
            const scan = $('scan');
            if (scan) scan.focus({ preventScroll: true });
          }

          async function problem(r) {
            try { const p = await r.json(); return p.detail || p.title || ('Error ' + r.status); }
            catch (e) { return 'Error ' + r.status; }
          }

          async function submit() {
            const staff = id.value.trim(), code = pin.value;
            if (!staff || !code) { message.textContent = 'Enter staff id and PIN'; return; }
            try {
              if (mode === 'report') {
                const day = new Date().toLocaleDateString('sv-SE');
                const r = await fetch('/v1/terminal/report?date=' + encodeURIComponent(day), { cache: 'no-store',
                  headers: { 'X-Vouch-Staff': staff, 'X-Vouch-PIN': code } });
                if (!r.ok) { message.textContent = await problem(r); pin.value = ''; pin.focus(); return; }
                showReport(await r.json());
                return;
              }
              const policy = $('policy').value;
              const r = await fetch('/v1/terminal/register', { method: 'POST', cache: 'no-store',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ staff: staff, pin: code, kind: mode, policy: policy, reason: reason.value }) });
              if (!r.ok) { message.textContent = await problem(r); pin.value = ''; pin.focus(); return; }
              const entry = await r.json();
              message.className = 'ok';
              message.textContent = 'Recorded: ' + TITLES[entry.kind] + ' (' + (WORDS[entry.reason] || entry.reason)
                + ') by ' + entry.staff;
              document.body.dataset.recorded = entry.kind + ':' + entry.reason;
              pin.value = '';
              setTimeout(() => { if (mode && message.className === 'ok') close(); }, 1500);
            } catch (e) {
              message.textContent = 'Terminal not answering';
            }
          }

          function showReport(report) {
            sheet.hidden = true;
            const rows = [];
            const add = (what, policy, outcome, reason, count) => rows.push([what, policy, outcome, reason, count]);
            for (const [label, section] of [['Scans', report.scans], ['Checked by hand', report.manual_checks],
                                            ['Refused', report.refusals]]) {
              for (const [policy, outcomes] of Object.entries(section.by_policy || {}))
                for (const [outcome, reasons] of Object.entries(outcomes))
                  for (const [why, count] of Object.entries(reasons)) add(label, policy, outcome, WORDS[why] || why, count);
            }
            const table = $('report-table');
            const head = document.createElement('tr');
            for (const h of ['What', 'Check', 'Outcome', 'Reason', 'Count']) {
              const th = document.createElement('th'); th.textContent = h; head.appendChild(th);
            }
            table.replaceChildren(head, ...rows.map((cells) => {
              const tr = document.createElement('tr');
              for (const c of cells) { const td = document.createElement('td'); td.textContent = String(c); tr.appendChild(td); }
              return tr;
            }));
            const ages = report.trust_age_seconds || {};
            $('report-summary').textContent = report.date + ': ' + report.scans.total + ' scans, '
              + report.manual_checks.total + ' checked by hand, ' + report.refusals.total + ' refused. Trust data age '
              + (ages.newest === null ? 'n/a' : ages.newest + ' s') + ' to ' + (ages.oldest === null ? 'n/a' : ages.oldest + ' s') + '.';
            reportView.hidden = false;
            $('report-close').focus();
          }

          form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
          $('staff-cancel').addEventListener('click', close);
          $('report-close').addEventListener('click', close);
          for (const b of actions.querySelectorAll('button[data-kind]')) {
            b.addEventListener('click', (e) => { e.stopPropagation(); open(b.dataset.kind); });
          }
          document.addEventListener('keydown', (e) => {
            if (e.key === 'Escape' && document.body.dataset.staff === 'open') { e.preventDefault(); e.stopImmediatePropagation(); close(); }
          }, true);

          fetch('/v1/terminal/state', { cache: 'no-store' }).then((r) => r.json()).then((s) => {
            reasons = s.register_reasons || {};
            actions.hidden = !(s.staff_accounts > 0);
            document.body.classList.toggle('staff', !actions.hidden);
          }).catch(() => { actions.hidden = true; });
        })();
        """#

    static let staffHTML = """
        <div id="actions" hidden>
          <button type="button" data-kind="manual_check">Checked ID by hand</button>
          <button type="button" data-kind="refusal">Refused sale</button>
          <button type="button" data-kind="report">Report</button>
        </div>
        <div id="staff" class="sheet" hidden role="dialog" aria-modal="true" aria-labelledby="staff-title">
          <form id="staff-form" autocomplete="off">
            <h2 id="staff-title">Staff</h2>
            <label id="staff-reason-row">Reason <select id="staff-reason"></select></label>
            <label>Staff id <input id="staff-id" autocomplete="off" autocapitalize="off" spellcheck="false"></label>
            <label>PIN <input id="staff-pin" type="password" inputmode="numeric" autocomplete="off"></label>
            <p id="staff-message" role="alert" aria-live="assertive"></p>
            <div class="row"><button type="submit">Confirm</button> <button type="button" id="staff-cancel">Cancel</button></div>
          </form>
        </div>
        <div id="report-view" class="sheet" hidden role="dialog" aria-modal="true" aria-labelledby="report-title">
          <section>
            <h2 id="report-title">Today's report</h2>
            <p id="report-summary"></p>
            <table id="report-table"></table>
            <div class="row"><button type="button" id="report-close">Close</button></div>
          </section>
        </div>
        """
}
