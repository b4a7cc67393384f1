// Styles of <ls-devtools>: a compact, readable panel that fits at the bottom of any page.
import { css } from 'lit';

export const devtoolsStyles = css`
  :host { display: block; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; color: #1d2330; background: #f7f8fa; border-top: 2px solid #3b5bdb; }
  .bar { display: flex; gap: 4px; align-items: center; padding: 4px 8px; background: #e7ebf5; }
  .bar strong { margin-right: 8px; color: #3b5bdb; }
  button { font: inherit; border: 1px solid #b9c2d8; background: white; border-radius: 3px; padding: 2px 8px; cursor: pointer; }
  button[aria-selected='true'], button[aria-pressed='true'] { background: #3b5bdb; color: white; border-color: #3b5bdb; }
  .toggle { margin-left: auto; }
  .panel { padding: 8px; max-height: 45vh; overflow: auto; }
  table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; }
  th, td { text-align: left; border-bottom: 1px solid #dde2ee; padding: 2px 6px; vertical-align: top; white-space: pre-wrap; word-break: break-word; }
  th { background: #eef1f8; position: sticky; top: 0; }
  .note { color: #5c667a; margin: 4px 0; }
  .error { color: #b42318; margin: 4px 8px; }
  .pager, .tables { display: flex; gap: 4px; align-items: center; margin-bottom: 4px; flex-wrap: wrap; }
  textarea { width: 100%; box-sizing: border-box; font: inherit; }
  .filter { margin-bottom: 4px; font: inherit; }
  dl.sync { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
  dt { color: #5c667a; }
  dd { margin: 0; }
  h3 { font-size: 12px; margin: 6px 0 2px; }
`;
