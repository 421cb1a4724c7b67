/* facet-viewer-loader.js — lets a page use the viewer with a plain classic script tag:
 *   <script src="facet-viewer-loader.js"></script>
 *   <facet-viewer>cube(10);</facet-viewer>
 * It imports facet-viewer.js (an ES module) from beside itself; importing it registers the
 * <facet-viewer> element. The module is also reachable as window.FacetViewer (a promise). */
(function () {
  'use strict';
  var script = document.currentScript;
  var url = new URL('facet-viewer.js', script ? script.src : document.baseURI).href;
  window.FacetViewer = import(url);
})();
