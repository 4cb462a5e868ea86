/// `/desk`: a page for a small operator (a bar, a shop's ID desk) to make a
/// wallet offer with no integration work.
///
/// The API key is typed in and kept in `sessionStorage` only (gone with the
/// tab); the birth date field is cleared once the offer is made. The redeem
/// link is drawn as a QR code (byte mode, ECC M) by Debian's
/// `node-qrcode-generator`, as on the wallet page.
enum DeskPage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Vouch desk</title>
        <link rel="stylesheet" href="/desk/style.css">
        <script src="/wallet/qrcode.js" defer></script>
        <script src="/desk/app.js" defer></script>
        </head>
        <body>
        <main>
          <h1>Vouch desk</h1>
          <p>Check the person's ID first. The phone that scans the code gets the codes; nothing personal is kept.</p>
          <form id="key-form">
            <label for="key">API key (issue scope; kept for this browser tab only)</label>
            <input id="key" type="password" autocomplete="off" required>
          </form>
          <form id="offer-form">
            <fieldset><legend>What to give</legend>
              <label><input type="radio" name="kind" value="age" checked> Age</label>
              <label><input type="radio" name="kind" value="concession"> Concession</label>
            </fieldset>
            <div id="age-fields"><label for="birth">Birth date (used now, not stored)</label><input id="birth" type="date"></div>
            <div id="concession-fields" hidden>
              <label for="concession">Concession</label>
              <select id="concession"><option>student</option><option>senior</option><option>disability</option>
                <option>veteran</option><option>large_family</option></select>
              <label for="until">Valid until</label><input id="until" type="date">
            </div>
            <label for="batch">Codes</label><input id="batch" type="number" min="1" max="50" value="20">
            <button id="make" type="submit">Make the offer</button>
          </form>
          <p id="message" role="alert"></p>
          <section id="offer" hidden>
            <canvas id="qr" role="img" aria-label="Offer QR code for the holder's phone"></canvas>
            <p id="expires"></p>
            <p><a id="link" href="#">Open on this device</a></p>
          </section>
        </main>
        </body>
        </html>
        """#

    static let style = #"""
        :root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; color-scheme: light; }
        body { margin: 0; background: #f4f5f7; color: #111; font-size: 19px; }
        main { max-width: 40rem; margin: 0 auto; padding: 16px; display: flex; flex-direction: column; gap: 12px; }
        h1 { margin: 0; }
        form { display: flex; flex-direction: column; gap: 8px; }
        fieldset { border: 2px solid #1d2330; border-radius: 8px; }
        input, select, button { font: inherit; min-height: 44px; padding: 6px 10px; }
        button { font-weight: 700; background: #1d2330; color: #fff; border: 0; border-radius: 8px; }
        #message { color: #a4161a; font-weight: 700; min-height: 1.2em; margin: 0; }
        #offer { display: flex; flex-direction: column; align-items: center; background: #fff; padding: 12px; border-radius: 10px; }
        """#

    static let script = #"""
        'use strict';
        // The desk: an issue-scope API key (sessionStorage only), POST /v1/offers, and the redeem link as a QR code.
        (() => {
          const $ = (id) => document.getElementById(id);
          $('key').value = sessionStorage.getItem('vouch.desk.key') || '';
          $('key').addEventListener('input', () => sessionStorage.setItem('vouch.desk.key', $('key').value));
          for (const radio of document.querySelectorAll('input[name=kind]')) {
            radio.addEventListener('change', () => {
              const age = document.querySelector('input[name=kind]:checked').value === 'age';
              $('age-fields').hidden = !age;
              $('concession-fields').hidden = age;
            });
          }
          function draw(text) {
            const qr = qrcode(0, 'M');
            qr.addData(text, 'Byte');
            qr.make();
            const canvas = $('qr'), modules = qr.getModuleCount(), total = modules + 8;
            const scale = Math.max(3, Math.floor(Math.min(420, document.body.clientWidth - 40) / total));
            canvas.width = canvas.height = total * scale;
            const g = canvas.getContext('2d');
            g.fillStyle = '#fff';
            g.fillRect(0, 0, canvas.width, canvas.height);
            g.fillStyle = '#000';
            for (let r = 0; r < modules; r++) {
              for (let c = 0; c < modules; c++) if (qr.isDark(r, c)) g.fillRect((c + 4) * scale, (r + 4) * scale, scale, scale);
            }
          }
          let timer = null;
          $('offer-form').addEventListener('submit', async (event) => {
            event.preventDefault();
            $('message').textContent = '';
            $('offer').hidden = true;
            const kind = document.querySelector('input[name=kind]:checked').value;
            const body = { kind, batch_size: parseInt($('batch').value, 10) || 20 };
            if (kind === 'age') body.birth_date = $('birth').value;
            else { body.concession = $('concession').value; body.valid_until = $('until').value; }
            let response, json = {};
            try {
              response = await fetch('/v1/offers', { method: 'POST', body: JSON.stringify(body), cache: 'no-store',
                headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + $('key').value.trim() } });
              json = await response.json();
            } catch (error) {
              $('message').textContent = 'The issuer did not answer.';
              return;
            }
            $('birth').value = '';
            if (response.status !== 201) {
              $('message').textContent = (json.title || 'Refused') + (json.detail ? ': ' + json.detail : '');
              return;
            }
            draw(json.redeem_url);
            $('link').href = json.redeem_url;
            $('offer').hidden = false;
            document.body.dataset.offer = json.offer_id;
            const end = Date.parse(json.expires_at);
            clearInterval(timer);
            const show = () => {
              const left = Math.max(0, Math.round((end - Date.now()) / 1000));
              $('expires').textContent = left ? 'Works for ' + Math.floor(left / 60) + ' min ' + (left % 60) + ' s, once.' : 'Expired.';
              if (!left) { $('offer').hidden = true; clearInterval(timer); }
            };
            show();
            timer = setInterval(show, 1000);
          });
        })();
        """#
}
