// Facet demo: a parametric pencil cup with slots

/* [Shape] */
// Outer radius of the cup
radius = 30; // [15:1:60]
// Height of the cup
height = 70; // [20:1:150]
// Wall thickness
wall = 3; // [1:0.5:8]
// Corner rounding of the rim
rim = 2; // [0:0.5:5]

/* [Slots] */
// Number of slots around the cup
slots = 10; // [0:1:36]
// Width of each slot
slot_width = 5; // [1:0.5:12]
// Slot arrangement
style = "straight"; // [straight, staggered]

/* [Finish] */
// Color of the cup
colour = "SteelBlue"; // [SteelBlue, Tomato, Gold, SeaGreen, SlateGray]
// Add a label ring near the base
label_ring = true;

/* [Hidden] */
$fn = 96;

module slot(h) {
    hull() {
        translate([0, 0, slot_width / 2]) rotate([0, 90, 0]) cylinder(d = slot_width, h = radius * 2, $fn = 24);
        translate([0, 0, h - slot_width / 2]) rotate([0, 90, 0]) cylinder(d = slot_width, h = radius * 2, $fn = 24);
    }
}

color(colour) difference() {
    union() {
        cylinder(r = radius, h = height - rim);
        translate([0, 0, height - rim]) cylinder(r1 = radius, r2 = radius - rim, h = rim);
        if (label_ring) translate([0, 0, wall * 2]) cylinder(r = radius + 1.5, h = 8);
    }
    translate([0, 0, wall]) cylinder(r = radius - wall, h = height);
    for (i = [0 : slots - 1]) {
        z0 = (style == "staggered" && i % 2 == 1) ? height * 0.3 : height * 0.2;
        rotate([0, 0, i * 360 / max(slots, 1)])
            translate([0, 0, z0]) slot(height * 0.45);
    }
}
