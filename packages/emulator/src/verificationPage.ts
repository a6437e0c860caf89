/**
 * Server-rendered HTML for the emulator's verification page. Plain forms that POST back, so it works with
 * JavaScript disabled; every interpolated value goes through {@link escapeHtml}.
 *
 * Stable accessible names (Playwright drives these): textbox "Code", button "Continue", radio group
 * "Sign in as" (one radio per user, named by display name), buttons "Allow access" and "Deny".
 */

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

// Colours are chosen for WCAG AA contrast on white (text ≥ 12:1, primary button 7:1, error text 6:1).
const STYLE = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#16191f;background:#f2f3f3}
main{max-width:28rem;margin:4rem auto;padding:2rem;background:#fff;border:1px solid #d1d5db;border-radius:.75rem}
h1{font-size:1.5rem;margin:0 0 .5rem}
p{margin:.5rem 0 1rem}
.brand{font-size:.875rem;color:#414750;margin:0 0 1.5rem}
label,legend{display:block;font-weight:600;margin-bottom:.375rem}
input[type=text]{width:100%;padding:.625rem .75rem;font:600 1.25rem/1.2 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.15em;text-transform:uppercase;border:1px solid #5f6b7a;border-radius:.5rem}
fieldset{border:0;padding:0;margin:0 0 1.25rem}
.choice{display:flex;align-items:center;gap:.5rem;padding:.5rem .75rem;border:1px solid #d1d5db;border-radius:.5rem;margin-bottom:.5rem;font-weight:400}
.code{font:700 2rem/1 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.2em;text-align:center;padding:1rem;margin:0 0 1rem;background:#f2f8fd;border:1px solid #0b5cad;border-radius:.5rem}
.details{font-size:.875rem;color:#414750}
.actions{display:flex;gap:.75rem;margin-top:1.25rem}
button{font:inherit;font-weight:600;line-height:1;padding:.75rem 1.25rem;border-radius:.5rem;cursor:pointer;border:2px solid #0b5cad}
.primary{background:#0b5cad;color:#fff}
.secondary{background:#fff;color:#0b5cad}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
[role=alert]{color:#8c1d18;background:#fdecea;border:1px solid #8c1d18;border-radius:.5rem;padding:.75rem;margin:0 0 1rem}
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · IAM Identity Center emulator</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="brand">AWS IAM Identity Center (local emulator)</p>
${body}
</main>
</body>
</html>
`;
}

function alert(error: string | undefined): string {
  return error ? `<p role="alert" id="error">${escapeHtml(error)}</p>` : '';
}

/** Step 1: enter (or confirm the pre-filled) user code. */
export function renderCodeEntryPage(input: { action: string; userCode: string; error?: string }): string {
  // After a wrong code the page loads again with focus nowhere, and an alert present at load is not reliably read:
  // focus goes to the field, which names the error through aria-describedby, ready to be typed over.
  const describedBy = input.error ? ' aria-describedby="error" aria-invalid="true" autofocus' : '';
  return layout(
    'Authorize request',
    `<h1>Authorize request</h1>
${alert(input.error)}<p>Enter the code shown by the application that is asking to sign you in.</p>
<form method="post" action="${escapeHtml(input.action)}">
<label for="user_code">Code</label>
<input type="text" id="user_code" name="user_code" value="${escapeHtml(input.userCode)}" autocomplete="off" autocapitalize="characters" spellcheck="false" required${describedBy}>
<div class="actions"><button type="submit" class="primary">Continue</button></div>
</form>`,
  );
}

/** Step 2: confirm the code matches the application, sign in as a seeded user, then allow or deny. */
export function renderConfirmPage(input: {
  action: string;
  userCode: string;
  clientName: string;
  startUrl: string;
  users: readonly { userName: string; displayName: string }[];
  error?: string;
}): string {
  // After an error, focus starts on the choice (the alert is announced with it), as on the code entry page.
  const errorFocus = input.error ? ' autofocus aria-describedby="error"' : '';
  const choices = input.users
    .map(
      (user, index) =>
        `<label class="choice"><input type="radio" name="user" value="${escapeHtml(user.userName)}"${
          index === 0 ? ` checked${errorFocus}` : ''
        }> ${escapeHtml(user.displayName)}</label>`,
    )
    .join('\n');
  return layout(
    'Allow access?',
    `<h1>Allow access?</h1>
${alert(input.error)}<p>Check that this code matches the one shown by the application:</p>
<p class="code">${escapeHtml(input.userCode)}</p>
<p class="details"><strong>${escapeHtml(input.clientName)}</strong> is asking for access to ${escapeHtml(input.startUrl)}. Only allow it if you started this sign-in yourself.</p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="user_code" value="${escapeHtml(input.userCode)}">
<fieldset>
<legend>Sign in as</legend>
${choices}
</fieldset>
<div class="actions">
<button type="submit" name="action" value="allow" class="primary">Allow access</button>
<button type="submit" name="action" value="deny" class="secondary">Deny</button>
</div>
</form>`,
  );
}

/** Step 3: the outcome. */
export function renderResultPage(outcome: 'approved' | 'denied'): string {
  const [title, text] =
    outcome === 'approved'
      ? ['Request approved', 'The application can now sign you in.']
      : ['Request denied', 'The application was not given access.'];
  return layout(
    title,
    `<h1>${title}</h1>
<p role="status">${text} You can close this window.</p>`,
  );
}
