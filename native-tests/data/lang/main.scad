echo("main");
include <sub/a.scad>
after = a + 1;
include <missing.scad>
use <lib.scad>
use <nolib.scad>
x = include <val.scad> ;
