// Runs only in browsers too old for JavaScript modules (the page's script is one):
// say so, in both of the page's languages (the message files are modules too),
// instead of showing a dead page.
(function () {
  var box = document.getElementById('notices');
  if (!box) return;
  var p = document.createElement('div');
  p.className = 'notice notice-error';
  p.setAttribute('role', 'alert');
  p.appendChild(document.createTextNode('This browser is too old to run gradlab (it needs JavaScript modules and WebAssembly). ' +
    'Please open this page in a current Chrome, Edge, Firefox or Safari. ' +
    '这个浏览器太旧，无法运行 gradlab（它需要 JavaScript 模块和 WebAssembly）。请用新版的 Chrome、Edge、Firefox 或 Safari 打开本页。'));
  box.appendChild(p);
}());
