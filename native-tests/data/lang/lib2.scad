use <lib.scad>
function lib2f() = 2;
