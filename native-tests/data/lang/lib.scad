use <lib2.scad>
module libmod() cube();
