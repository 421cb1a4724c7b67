use <badlib.scad>
echo("main");
