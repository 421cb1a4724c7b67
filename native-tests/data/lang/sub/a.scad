a = 1;
include <../b.scad>
