import { describe, expect, test } from '@jest/globals';
import { useTestSmtp } from '@hub/testkit';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { createMailer } from '../src/index.ts';
import {
  defineTemplate,
  describeTemplate,
  escapeHtml,
  html,
  renderTemplate,
  singleLine,
  templatedMail,
  trustedHtml,
  type MailTemplate,
} from '../src/mail-templates.ts';

const smtp = useTestSmtp();

const greeting = defineTemplate({
  name: 'greeting',
  description: 'says hello, with a link',
  variables: z.strictObject({
    name: singleLine(z.string().trim().min(1).max(50)),
    link: z.url({ protocol: /^https?$/ }),
    lines: z.array(z.strictObject({ label: z.string(), quantity: z.int().min(1) })).default([]),
  }),
  subject: ({ name }) => `Hello ${name}`,
  text: ({ name, link }) => `Hello ${name}\n${link}`,
  html: ({ name, link, lines }) =>
    html`<p>Hello ${name}</p>
      <a href="${link}">open</a>
      <ul>
        ${lines.map((line) => html`<li>${line.label} × ${line.quantity}</li>`)}
      </ul>`,
});

const fine = { name: 'Ada', link: 'https://example.com/start?x=1&y=2' };

/** Catches the AppError a render throws, to look at its status and fields. */
function thrownBy(render: () => unknown): {
  status: number;
  code: string;
  message: string;
  errors?: Array<{ in?: string; field: string }>;
} {
  try {
    render();
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the render to throw');
}

describe('html``', () => {
  test('escapes every interpolated value: <, >, &, double and single quotes', () => {
    expect(html`<p>${'<script>alert("x")</script> & \'y\''}</p>`.markup).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>',
    );
    expect(escapeHtml('"><img src=x onerror=alert(1)>')).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  test('nests html`` fragments and arrays of them unescaped; null, undefined and false render nothing', () => {
    const items = ['<b>', 'ok'].map((label) => html`<li>${label}</li>`);

    // Prettier formats html`` as HTML; the exact markup is what is under test here.
    // prettier-ignore
    const list = html`<ul>${items}</ul>`;
    const nothing = html`${null}${undefined}${false}${0}`;

    expect(list.markup).toBe('<ul><li>&lt;b&gt;</li><li>ok</li></ul>');
    expect(nothing.markup).toBe('0');
    expect(html`<div>${trustedHtml('<hr>')}</div>`.markup).toBe('<div><hr></div>');
  });
});

describe('renderTemplate()', () => {
  test('renders subject, text and HTML from valid variables, the HTML escaped and the text as written', () => {
    const rendered = renderTemplate(greeting, { ...fine, name: '<script>x</script>' });

    expect(rendered.subject).toBe('Hello <script>x</script>');
    expect(rendered.text).toBe('Hello <script>x</script>\nhttps://example.com/start?x=1&y=2');
    expect(rendered.html).toContain('<p>Hello &lt;script&gt;x&lt;/script&gt;</p>');
    expect(rendered.html).toContain('href="https://example.com/start?x=1&amp;y=2"');
    expect(rendered.html).not.toContain('<script>');
  });

  test('missing, mistyped, nested and unknown variables are a 422 naming every path under variables.', () => {
    const error = thrownBy(() =>
      renderTemplate(greeting, { link: 'javascript:alert(1)', lines: [{ label: 'a', quantity: 0 }], colour: 'red' }),
    );

    expect(error.status).toBe(422);
    expect(error.code).toBe('invalid-template-variables');
    expect(error.errors?.map((fieldError) => fieldError.field).sort()).toEqual([
      'variables.colour',
      'variables.lines.0.quantity',
      'variables.link',
      'variables.name',
    ]);
    expect(error.errors?.every((fieldError) => fieldError.in === 'body')).toBe(true);
    expect(error.message).toMatch(/greeting template: .*variables\.name/);
  });

  test('variables that are not an object at all are a 422 naming "variables"; `at` renames the location', () => {
    const error = thrownBy(() => renderTemplate(greeting, 'Ada', { at: { in: 'query', field: 'vars' } }));

    expect(error.status).toBe(422);
    expect(error.errors).toEqual([expect.objectContaining({ in: 'query', field: 'vars' })]);
  });

  test('a CR or LF in a singleLine() variable is refused by the schema, before trimming', () => {
    const error = thrownBy(() => renderTemplate(greeting, { ...fine, name: 'Ada\r\nBcc: eve@example.com' }));
    const trailing = thrownBy(() => renderTemplate(greeting, { ...fine, name: 'Ada\n' }));

    expect(error.errors).toEqual([expect.objectContaining({ field: 'variables.name', message: 'must be one line: no CR or LF' })]);
    expect(trailing.status).toBe(422);
    expect(singleLine().safeParse('one line').success).toBe(true);
    expect(singleLine().safeParse('two\rlines').success).toBe(false);
  });

  test("a subject that comes out with CR or LF is a 400 naming subject, even when the template's schema let it through", () => {
    const careless: MailTemplate = defineTemplate({
      ...greeting,
      variables: z.strictObject({ name: z.string() }),
      subject: ({ name }) => `Hello ${name}`,
      html: ({ name }) => html`${name}`,
      text: ({ name }) => name,
    });

    const fromVariable = thrownBy(() => renderTemplate(careless, { name: 'Ada\nBcc: eve@example.com' }));
    const fromOverride = thrownBy(() => renderTemplate(greeting, fine, { subject: 'Hi\r\nBcc: eve@example.com' }));

    for (const error of [fromVariable, fromOverride]) {
      expect(error.status).toBe(400);
      expect(error.code).toBe('header-injection');
      expect(error.errors).toEqual([expect.objectContaining({ in: 'body', field: 'subject' })]);
    }
    expect(renderTemplate(greeting, fine, { subject: 'Welcome aboard' }).subject).toBe('Welcome aboard');
  });
});

describe('templatedMail()', () => {
  test('addresses the rendered mail; a CR or LF in to or replyTo is a 400 naming that field', () => {
    const rendered = renderTemplate(greeting, fine);

    expect(templatedMail(rendered, { to: 'ada@example.com' })).toEqual({ to: 'ada@example.com', ...rendered });
    expect(thrownBy(() => templatedMail(rendered, { to: 'ada@example.com\r\nBcc: eve@example.com' })).errors).toEqual([
      expect.objectContaining({ field: 'to' }),
    ]);
    expect(thrownBy(() => templatedMail(rendered, { to: 'ada@example.com', replyTo: 'x@example.com\nBcc: y' })).errors).toEqual([
      expect.objectContaining({ field: 'replyTo' }),
    ]);
  });

  test('goes out as multipart/alternative: a text/plain part and a text/html part', async () => {
    const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });

    const { message } = await composer.sendMail({
      from: 'hub@example.com',
      ...templatedMail(renderTemplate(greeting, fine), { to: 'ada@example.com' }),
    });
    const raw = String(message);

    expect(raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(raw).toMatch(/^Content-Type: text\/plain/m);
    expect(raw).toMatch(/^Content-Type: text\/html/m);
  });

  test('sent with createMailer(), it reaches the SMTP server with the escaped HTML, the text and the link; send() returns the Message-ID', async () => {
    const mailer = createMailer({ SMTP_URL: smtp.url, MAIL_FROM: 'Backend Hub <no-reply@backend-hub.local>' });

    const sent = await mailer.send(
      templatedMail(renderTemplate(greeting, { ...fine, name: '<script>x</script>' }), { to: 'tpl@example.com' }),
    );
    const mail = await smtp.next('tpl@example.com');
    await mailer.close();

    expect(sent.messageId).toMatch(/^<.+@.+>$/);
    expect(mail.subject).toBe('Hello <script>x</script>');
    expect(mail.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain(fine.link);
  });
});

describe('describeTemplate()', () => {
  test('names the template and gives its variables as JSON Schema, required ones listed', () => {
    const described = describeTemplate(greeting);

    expect(described).toMatchObject({ name: 'greeting', description: 'says hello, with a link' });
    expect(described.variables).toMatchObject({ type: 'object', required: expect.arrayContaining(['name', 'link']) });
    expect(Object.keys(described.variables.properties as object)).toEqual(['name', 'link', 'lines']);
  });
});
