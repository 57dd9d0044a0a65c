// Runs only in browsers too old for JavaScript modules (the page's script is one):
// say so instead of showing a dead page.
(function () {
  var box = document.getElementById('notices');
  if (!box) return;
  var p = document.createElement('div');
  p.className = 'notice notice-error';
  p.setAttribute('role', 'alert');
  p.appendChild(document.createTextNode('This browser is too old to run gradlab (it needs JavaScript modules and WebAssembly). ' +
    'Please open this page in a current Chrome, Edge, Firefox or Safari.'));
  box.appendChild(p);
}());
