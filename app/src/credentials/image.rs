//! Badge artwork, drawn in code: one design per domain and one for the whole micro-credential.
//!
//! A design is a list of simple shapes (circles, rings, polygons) rendered two ways: as SVG for
//! pages (with the title on a ribbon and a description for screen readers) and as a PNG by a
//! small anti-aliased rasteriser, for baking. No image library or font is needed.

use std::f32::consts::PI;

/// Which badge to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Design {
    /// Domain slug, `micro-credential`, or `issuer`.
    pub key: String,
    /// The title on the ribbon.
    pub title: String,
    /// 1–4 for the domains in framework order; 0 for the whole micro-credential (and issuer).
    pub number: u8,
}

/// Side of the square artwork, in pixels (PNG) and user units (SVG).
pub const SIZE: u32 = 400;

type Rgb = [u8; 3];

/// Colours of one design: outer ring, face, emblem, accent.
struct Palette {
    dark: Rgb,
    face: Rgb,
    emblem: Rgb,
    accent: Rgb,
}

fn palette(number: u8) -> Palette {
    match number {
        1 => Palette {
            dark: [0x1d, 0x4e, 0x89],
            face: [0xdb, 0xe8, 0xf6],
            emblem: [0x1d, 0x4e, 0x89],
            accent: [0xf2, 0xb1, 0x34],
        },
        2 => Palette {
            dark: [0x1e, 0x6b, 0x34],
            face: [0xdf, 0xf0, 0xe3],
            emblem: [0x1e, 0x6b, 0x34],
            accent: [0xf2, 0xb1, 0x34],
        },
        3 => Palette {
            dark: [0x6d, 0x2b, 0x7d],
            face: [0xf0, 0xe2, 0xf4],
            emblem: [0x6d, 0x2b, 0x7d],
            accent: [0xf2, 0xb1, 0x34],
        },
        4 => Palette {
            dark: [0x9a, 0x3f, 0x14],
            face: [0xfb, 0xe6, 0xda],
            emblem: [0x9a, 0x3f, 0x14],
            accent: [0x2a, 0x7a, 0x6f],
        },
        _ => Palette {
            dark: [0x23, 0x30, 0x3f],
            face: [0xf7, 0xf3, 0xe3],
            emblem: [0xb8, 0x86, 0x0b],
            accent: [0xd4, 0xa0, 0x17],
        },
    }
}

/// A shape of the artwork.
#[derive(Clone, Debug)]
enum Shape {
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
        fill: Rgb,
    },
    Ring {
        cx: f32,
        cy: f32,
        r: f32,
        width: f32,
        fill: Rgb,
    },
    Polygon {
        points: Vec<(f32, f32)>,
        fill: Rgb,
    },
}

/// A regular star (or polygon when `inner == outer`) around (cx, cy).
fn star(cx: f32, cy: f32, points: usize, outer: f32, inner: f32, rotation: f32) -> Vec<(f32, f32)> {
    (0..points * 2)
        .map(|i| {
            let r = if i % 2 == 0 { outer } else { inner };
            let a = rotation + PI * i as f32 / points as f32 - PI / 2.0;
            (cx + r * a.cos(), cy + r * a.sin())
        })
        .collect()
}

/// An ellipse as a polygon, rotated by `angle` radians.
fn ellipse(cx: f32, cy: f32, rx: f32, ry: f32, angle: f32) -> Vec<(f32, f32)> {
    (0..36)
        .map(|i| {
            let t = 2.0 * PI * i as f32 / 36.0;
            let (x, y) = (rx * t.cos(), ry * t.sin());
            (
                cx + x * angle.cos() - y * angle.sin(),
                cy + x * angle.sin() + y * angle.cos(),
            )
        })
        .collect()
}

/// The emblem in the middle of the face (centre 200, 170).
fn emblem(number: u8, p: &Palette) -> Vec<Shape> {
    let (cx, cy) = (200.0, 165.0);
    match number {
        // Professional identity: a compass rose within rings (knowing where one stands).
        1 => vec![
            Shape::Ring {
                cx,
                cy,
                r: 70.0,
                width: 8.0,
                fill: p.emblem,
            },
            Shape::Ring {
                cx,
                cy,
                r: 50.0,
                width: 4.0,
                fill: p.emblem,
            },
            Shape::Polygon {
                points: star(cx, cy, 4, 88.0, 16.0, 0.0),
                fill: p.emblem,
            },
            Shape::Polygon {
                points: star(cx, cy, 4, 52.0, 10.0, PI / 4.0),
                fill: p.accent,
            },
            Shape::Circle {
                cx,
                cy,
                r: 9.0,
                fill: p.face,
            },
        ],
        // Professional knowledge and skills: an open book with a spark of innovation.
        2 => vec![
            Shape::Polygon {
                points: vec![
                    (118.0, 150.0),
                    (196.0, 170.0),
                    (196.0, 240.0),
                    (118.0, 220.0),
                ],
                fill: p.emblem,
            },
            Shape::Polygon {
                points: vec![
                    (204.0, 170.0),
                    (282.0, 150.0),
                    (282.0, 220.0),
                    (204.0, 240.0),
                ],
                fill: p.emblem,
            },
            Shape::Polygon {
                points: vec![
                    (128.0, 160.0),
                    (192.0, 176.0),
                    (192.0, 184.0),
                    (128.0, 168.0),
                ],
                fill: p.face,
            },
            Shape::Polygon {
                points: vec![
                    (208.0, 176.0),
                    (272.0, 160.0),
                    (272.0, 168.0),
                    (208.0, 184.0),
                ],
                fill: p.face,
            },
            Shape::Polygon {
                points: star(cx, 112.0, 8, 34.0, 12.0, 0.0),
                fill: p.accent,
            },
        ],
        // Professional relationships: three linked rings.
        3 => vec![
            Shape::Ring {
                cx: 165.0,
                cy: 185.0,
                r: 42.0,
                width: 10.0,
                fill: p.emblem,
            },
            Shape::Ring {
                cx: 235.0,
                cy: 185.0,
                r: 42.0,
                width: 10.0,
                fill: p.emblem,
            },
            Shape::Ring {
                cx,
                cy: 125.0,
                r: 42.0,
                width: 10.0,
                fill: p.accent,
            },
        ],
        // Professional dispositions: a seedling, nurtured.
        4 => vec![
            Shape::Polygon {
                points: vec![
                    (196.0, 245.0),
                    (204.0, 245.0),
                    (204.0, 140.0),
                    (196.0, 140.0),
                ],
                fill: p.emblem,
            },
            Shape::Polygon {
                points: ellipse(165.0, 150.0, 42.0, 18.0, -0.55),
                fill: p.accent,
            },
            Shape::Polygon {
                points: ellipse(237.0, 125.0, 46.0, 19.0, 0.5),
                fill: p.accent,
            },
            Shape::Polygon {
                points: ellipse(cx, 250.0, 62.0, 12.0, 0.0),
                fill: p.emblem,
            },
        ],
        // The whole micro-credential: a star of the four domain colours.
        _ => {
            let colours = [
                palette(1).dark,
                palette(2).dark,
                palette(3).dark,
                palette(4).dark,
            ];
            let mut shapes = vec![Shape::Polygon {
                points: star(cx, cy, 8, 92.0, 48.0, 0.0),
                fill: p.accent,
            }];
            for (i, colour) in colours.iter().enumerate() {
                let a = PI / 2.0 * i as f32 - PI / 4.0;
                let (x, y) = (cx + 34.0 * a.cos(), cy + 34.0 * a.sin());
                shapes.push(Shape::Circle {
                    cx: x,
                    cy: y,
                    r: 22.0,
                    fill: *colour,
                });
            }
            shapes.push(Shape::Circle {
                cx,
                cy,
                r: 14.0,
                fill: p.face,
            });
            shapes
        }
    }
}

/// Every shape of a design, back to front.
fn shapes(design: &Design) -> Vec<Shape> {
    let p = palette(design.number);
    let mut out = vec![
        Shape::Polygon {
            points: star(200.0, 200.0, 24, 196.0, 182.0, 0.0),
            fill: p.dark,
        },
        Shape::Circle {
            cx: 200.0,
            cy: 200.0,
            r: 168.0,
            fill: p.face,
        },
        Shape::Ring {
            cx: 200.0,
            cy: 200.0,
            r: 156.0,
            width: 4.0,
            fill: p.dark,
        },
    ];
    out.extend(emblem(design.number, &p));
    // The ribbon across the lower part, with folded ends.
    out.push(Shape::Polygon {
        points: vec![
            (28.0, 268.0),
            (70.0, 268.0),
            (70.0, 330.0),
            (28.0, 330.0),
            (44.0, 299.0),
        ],
        fill: darken(p.dark),
    });
    out.push(Shape::Polygon {
        points: vec![
            (372.0, 268.0),
            (330.0, 268.0),
            (330.0, 330.0),
            (372.0, 330.0),
            (356.0, 299.0),
        ],
        fill: darken(p.dark),
    });
    out.push(Shape::Polygon {
        points: vec![(56.0, 258.0), (344.0, 258.0), (344.0, 320.0), (56.0, 320.0)],
        fill: p.dark,
    });
    out
}

fn darken(c: Rgb) -> Rgb {
    c.map(|v| (u16::from(v) * 3 / 5) as u8)
}

fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

use crate::markdown::escape;

/// The ribbon's text: the title on one or two lines of at most ~24 characters.
fn ribbon_lines(title: &str) -> Vec<String> {
    let words: Vec<&str> = title.split_whitespace().collect();
    if title.chars().count() <= 24 || words.len() < 2 {
        return vec![title.to_owned()];
    }
    let mut best = (usize::MAX, 1);
    for split in 1..words.len() {
        let a = words[..split].join(" ").chars().count();
        let b = words[split..].join(" ").chars().count();
        let longest = a.max(b);
        if longest < best.0 {
            best = (longest, split);
        }
    }
    vec![words[..best.1].join(" "), words[best.1..].join(" ")]
}

/// What the image shows, for screen readers (`<desc>` and the credential's `image.caption`).
pub fn badge_caption(design: &Design) -> String {
    let motif = match design.number {
        1 => "a compass rose within two rings",
        2 => "an open book beneath a spark",
        3 => "three linked rings",
        4 => "a seedling with two leaves",
        _ => "an eight-pointed gold star holding the four domain colours",
    };
    let colour = match design.number {
        1 => "blue",
        2 => "green",
        3 => "purple",
        4 => "rust-red",
        _ => "navy and gold",
    };
    format!(
        "A round {colour} badge with {motif}, and a ribbon reading “{}”.",
        design.title
    )
}

/// The badge as a self-contained SVG.
pub fn badge_svg(design: &Design) -> String {
    let mut body = String::new();
    for shape in shapes(design) {
        match shape {
            Shape::Circle { cx, cy, r, fill } => body.push_str(&format!(
                "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"{}\"/>",
                hex(fill)
            )),
            Shape::Ring { cx, cy, r, width, fill } => body.push_str(&format!(
                "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{width}\"/>",
                hex(fill)
            )),
            Shape::Polygon { points, fill } => {
                let pts: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
                body.push_str(&format!(
                    "<polygon points=\"{}\" fill=\"{}\"/>",
                    pts.join(" "),
                    hex(fill)
                ));
            }
        }
    }
    let lines = ribbon_lines(&design.title);
    let size = if lines.iter().any(|l| l.chars().count() > 20) {
        17
    } else {
        20
    };
    let first_y = if lines.len() == 1 { 296 } else { 284 };
    for (i, line) in lines.iter().enumerate() {
        body.push_str(&format!(
            "<text x=\"200\" y=\"{}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"{size}\" font-weight=\"700\" fill=\"#ffffff\">{}</text>",
            first_y + i * 24,
            escape(line)
        ));
    }
    let p = palette(design.number);
    body.push_str(&format!(
        "<text x=\"200\" y=\"64\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"18\" font-weight=\"700\" letter-spacing=\"4\" fill=\"{}\">MCF</text>",
        hex(p.dark)
    ));
    let id = format!("badge-{}", escape(&design.key));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {SIZE} {SIZE}\" width=\"{SIZE}\" height=\"{SIZE}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{body}</svg>",
        escape(&design.title),
        escape(&badge_caption(design))
    )
}

fn inside(shape: &Shape, x: f32, y: f32) -> Option<Rgb> {
    match shape {
        Shape::Circle { cx, cy, r, fill } => {
            ((x - cx).powi(2) + (y - cy).powi(2) <= r * r).then_some(*fill)
        }
        Shape::Ring {
            cx,
            cy,
            r,
            width,
            fill,
        } => {
            let d = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt();
            ((d - r).abs() <= width / 2.0).then_some(*fill)
        }
        Shape::Polygon { points, fill } => {
            // Even-odd rule.
            let mut hit = false;
            let n = points.len();
            for i in 0..n {
                let (x1, y1) = points[i];
                let (x2, y2) = points[(i + 1) % n];
                if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
                    hit = !hit;
                }
            }
            hit.then_some(*fill)
        }
    }
}

/// Axis-aligned bounds of a shape, to skip it quickly.
fn bounds(shape: &Shape) -> (f32, f32, f32, f32) {
    match shape {
        Shape::Circle { cx, cy, r, .. } => (cx - r, cy - r, cx + r, cy + r),
        Shape::Ring {
            cx, cy, r, width, ..
        } => {
            let o = r + width / 2.0;
            (cx - o, cy - o, cx + o, cy + o)
        }
        Shape::Polygon { points, .. } => points.iter().fold(
            (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
            |(a, b, c, d), (x, y)| (a.min(*x), b.min(*y), c.max(*x), d.max(*y)),
        ),
    }
}

/// The badge as RGBA pixels, 4×4 samples per pixel (transparent outside the medallion).
fn rasterise(design: &Design) -> Vec<u8> {
    let shapes = shapes(design);
    let boxes: Vec<_> = shapes.iter().map(bounds).collect();
    let size = SIZE as usize;
    let mut pixels = vec![0u8; size * size * 4];
    const S: usize = 4;
    for py in 0..size {
        for px in 0..size {
            let (mut r, mut g, mut b, mut covered) = (0u32, 0u32, 0u32, 0u32);
            for sy in 0..S {
                for sx in 0..S {
                    let x = px as f32 + (sx as f32 + 0.5) / S as f32;
                    let y = py as f32 + (sy as f32 + 0.5) / S as f32;
                    let mut colour = None;
                    for (shape, (x0, y0, x1, y1)) in shapes.iter().zip(&boxes) {
                        if x < *x0 || x > *x1 || y < *y0 || y > *y1 {
                            continue;
                        }
                        if let Some(c) = inside(shape, x, y) {
                            colour = Some(c);
                        }
                    }
                    if let Some(c) = colour {
                        r += u32::from(c[0]);
                        g += u32::from(c[1]);
                        b += u32::from(c[2]);
                        covered += 1;
                    }
                }
            }
            let channel = |sum: u32| sum.checked_div(covered).map_or(0, |v| v as u8);
            let i = (py * size + px) * 4;
            pixels[i] = channel(r);
            pixels[i + 1] = channel(g);
            pixels[i + 2] = channel(b);
            pixels[i + 3] = ((covered * 255) / (S * S) as u32) as u8;
        }
    }
    pixels
}

/// The badge as a PNG (400×400 RGBA; the ribbon carries no text, the shapes and colours are
/// those of the SVG).
pub fn badge_png(design: &Design) -> Vec<u8> {
    let pixels = rasterise(design);
    let row = SIZE as usize * 4;
    let mut raw = Vec::with_capacity(pixels.len() + SIZE as usize);
    for line in pixels.chunks(row) {
        raw.push(0); // filter: none
        raw.extend_from_slice(line);
    }
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&SIZE.to_be_bytes());
    ihdr.extend_from_slice(&SIZE.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA, deflate, no filter, no interlace
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    png.extend(super::bake::png_chunk(b"IHDR", &ihdr));
    png.extend(super::bake::png_chunk(
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6),
    ));
    png.extend(super::bake::png_chunk(b"IEND", &[]));
    png
}

#[cfg(test)]
mod tests {
    use super::*;

    fn designs() -> Vec<Design> {
        (0..=4)
            .map(|n| Design {
                key: format!("d{n}"),
                title: format!("Domain <{n}> & Co"),
                number: n,
            })
            .collect()
    }

    #[test]
    fn each_design_is_its_own_accessible_svg() {
        let svgs: Vec<String> = designs().iter().map(badge_svg).collect();
        for (svg, d) in svgs.iter().zip(designs()) {
            assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
            assert!(svg.contains("role=\"img\""));
            assert!(svg.contains(&format!(
                "<title id=\"badge-d{}-title\">Domain &lt;{}&gt; &amp; Co</title>",
                d.number, d.number
            )));
            assert!(svg.contains("<desc"));
            assert!(!svg.contains("<script"));
            assert!(svg.ends_with("</svg>"));
        }
        for i in 0..svgs.len() {
            for j in i + 1..svgs.len() {
                assert_ne!(
                    svgs[i].replace(&format!("d{i}"), ""),
                    svgs[j].replace(&format!("d{j}"), "")
                );
            }
        }
    }

    #[test]
    fn long_titles_take_two_balanced_lines() {
        assert_eq!(
            ribbon_lines("Professional Identity"),
            vec!["Professional Identity"]
        );
        assert_eq!(
            ribbon_lines("Professional Knowledge and Skills"),
            vec!["Professional", "Knowledge and Skills"]
        );
    }

    #[test]
    fn the_png_is_well_formed_and_the_designs_differ() {
        let a = badge_png(&designs()[1]);
        let b = badge_png(&designs()[2]);
        assert_ne!(a, b);
        assert_eq!(&a[12..16], b"IHDR");
        assert_eq!(u32::from_be_bytes([a[16], a[17], a[18], a[19]]), SIZE);
        // Every chunk's CRC checks (the chunk walker verifies them).
        assert_eq!(super::super::bake::extract_png(&a), Ok(None));
        // The corner is transparent, the centre of the face opaque.
        let pixels = rasterise(&designs()[1]);
        assert_eq!(pixels[3], 0);
        let centre = ((200 * SIZE as usize) + 200) * 4;
        assert_eq!(pixels[centre + 3], 255);
    }
}
