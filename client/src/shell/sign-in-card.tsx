/** Shown when nobody is signed in: the server's sign-in link, or a pasted token, sets the cookie. */
import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.ts';

export function SignInCard() {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = token.trim();
    if (!trimmed) return;
    // The server swaps `?token=` for an HttpOnly cookie and redirects back without it.
    const url = new URL(window.location.href);
    url.searchParams.set('token', trimmed);
    window.location.assign(url.toString());
  };
  return (
    <div className="overlay-centre">
      <form className="panel sign-in" data-testid="sign-in" onSubmit={submit}>
        <h2>{t('signIn.heading')}</h2>
        <p>{t('signIn.body')}</p>
        <label>
          {t('signIn.tokenLabel')}
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(event) => setToken(event.target.value)}
            autoFocus
          />
        </label>
        <button type="submit" disabled={!token.trim()}>
          {t('signIn.submit')}
        </button>
      </form>
    </div>
  );
}
