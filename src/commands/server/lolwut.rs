//! LOLWUT [VERSION version] [...]: Redis's computer art. Without VERSION (or with a version
//! other than 5 or 6) Redis 7.0 prints only `Redis ver. 7.0.15`. VERSION 5 draws Georg Nees's
//! *Schotter* in braille characters and VERSION 6 a skyline in ANSI colours, with the same
//! geometry, arguments and limits as Redis's lolwut5.c/lolwut6.c. The randomness comes from our
//! own generator, so the drawings differ from Redis's the way two Redis runs differ.

use std::f32::consts::PI;

use crate::commands::errors::NOT_INTEGER;
use crate::commands::{Arg, ArgKind, CommandSpec, Flags, Group};
use crate::state::Ctx;
use crate::types::number::parse_i64;

/// LOLWUT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "lolwut",
    arity: -1,
    flags: Flags::READONLY.union(Flags::FAST),
    group: Group::Server,
    since: "5.0.0",
    summary: "Display some computer art and the Redis version",
    args: &[Arg { name: "version", kind: ArgKind::Integer, token: Some("VERSION"), optional: true, ..Arg::DEFAULT }],
    handler: run,
    ..CommandSpec::DEFAULT
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let mut args = &argv[1..];
    let mut version = None;
    if args.len() >= 2 && args[0].eq_ignore_ascii_case(b"version") {
        let Some(v) = parse_i64(args[1]) else { return ctx.out.error(NOT_INTEGER) };
        version = Some(v);
        args = &args[2..];
    }
    let mut numbers = Vec::with_capacity(args.len());
    // Each drawing parses only the arguments it takes.
    let takes = match version {
        Some(5) => 3,
        Some(6) => 2,
        _ => 0,
    };
    for arg in args.iter().take(takes) {
        match parse_i64(arg) {
            Some(n) => numbers.push(n),
            None => return ctx.out.error(NOT_INTEGER),
        }
    }
    let arg = |i: usize, default: i64, max: i64| numbers.get(i).copied().unwrap_or(default).clamp(1, max) as usize;
    let mut rng = fastrand::Rng::new();
    let text = match version {
        Some(5) => {
            let canvas = schotter(arg(0, 66, 1000), arg(1, 8, 200), arg(2, 12, 200), &mut rng);
            format!(
                "{}\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. {}\n",
                canvas.braille(),
                crate::REDIS_VERSION
            )
        }
        Some(6) => {
            let mut canvas = Canvas::new(arg(0, 80, 1000), arg(1, 20, 1000), 3);
            skyline(&mut canvas, &mut rng);
            format!(
                "{}\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. Redis ver. {}\n",
                canvas.ansi(),
                crate::REDIS_VERSION
            )
        }
        _ => format!("Redis ver. {}\n", crate::REDIS_VERSION),
    };
    ctx.out.verbatim(text.as_bytes());
}

/// A grid of pixels, each a colour number; drawing outside it is ignored.
struct Canvas {
    width: i32,
    height: i32,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: usize, height: usize, background: u8) -> Canvas {
        Canvas { width: width as i32, height: height as i32, pixels: vec![background; width * height] }
    }

    fn set(&mut self, x: i32, y: i32, color: u8) {
        if (0..self.width).contains(&x) && (0..self.height).contains(&y) {
            self.pixels[(x + y * self.width) as usize] = color;
        }
    }

    fn get(&self, x: i32, y: i32) -> u8 {
        if (0..self.width).contains(&x) && (0..self.height).contains(&y) {
            self.pixels[(x + y * self.width) as usize]
        } else {
            0
        }
    }

    /// Bresenham's line.
    fn line(&mut self, (mut x1, mut y1): (i32, i32), (x2, y2): (i32, i32), color: u8) {
        let (dx, dy) = ((x2 - x1).abs(), (y2 - y1).abs());
        let (sx, sy) = (if x1 < x2 { 1 } else { -1 }, if y1 < y2 { 1 } else { -1 });
        let mut err = dx - dy;
        loop {
            self.set(x1, y1, color);
            if x1 == x2 && y1 == y2 {
                break;
            }
            let e2 = err * 2;
            if e2 > -dy {
                err -= dy;
                x1 += sx;
            }
            if e2 < dx {
                err += dx;
                y1 += sy;
            }
        }
    }

    /// A square of side `size` centred on (x, y), rotated by `angle` radians.
    fn square(&mut self, x: i32, y: i32, size: f32, angle: f32) {
        // The square inscribed in a circle of radius 1 has side sqrt(2).
        let size = (size / std::f32::consts::SQRT_2).round();
        let corners: Vec<(i32, i32)> = (0..4)
            .map(|j| {
                let k = PI / 4.0 + angle + j as f32 * PI / 2.0;
                ((k.sin() * size + x as f32).round() as i32, (k.cos() * size + y as f32).round() as i32)
            })
            .collect();
        for j in 0..4 {
            self.line(corners[j], corners[(j + 1) % 4], 1);
        }
    }

    /// Each 2x4 block of pixels as one braille character (dots numbered as Unicode's).
    fn braille(&self) -> String {
        let mut text = String::new();
        for y in (0..self.height).step_by(4) {
            for x in (0..self.width).step_by(2) {
                let dots = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (0, 3), (1, 3)];
                let byte = dots
                    .iter()
                    .enumerate()
                    .filter(|(_, (dx, dy))| self.get(x + dx, y + dy) != 0)
                    .fold(0u32, |b, (bit, _)| b | 1 << bit);
                text.push(char::from_u32(0x2800 + byte).unwrap_or(' '));
            }
            if y != self.height - 1 {
                text.push('\n');
            }
        }
        text
    }

    /// Each pixel as a space in its background colour (black, two greys, white).
    fn ansi(&self) -> String {
        let mut text = String::new();
        for y in 0..self.height {
            for x in 0..self.width {
                let escape = match self.get(x, y) {
                    1 => "0;90;100m",
                    2 => "0;37;47m",
                    3 => "0;97;107m",
                    _ => "0;30;40m",
                };
                text.push_str(&format!("\x1b[{escape} \x1b[0m"));
            }
            if y != self.height - 1 {
                text.push('\n');
            }
        }
        text
    }
}

/// A random number in [0, 1], as C's `rand() / RAND_MAX`.
fn unit(rng: &mut fastrand::Rng) -> f32 {
    rng.f32()
}

/// C's `rand()`: a non-negative 31-bit number.
fn rand(rng: &mut fastrand::Rng) -> i32 {
    rng.i32(0..i32::MAX)
}

/// Schotter: rows of squares, rotated and shifted more and more towards the bottom.
fn schotter(cols: usize, per_row: usize, per_col: usize, rng: &mut fastrand::Rng) -> Canvas {
    let width = cols as i32 * 2;
    let padding = if width > 4 { 2 } else { 0 };
    let side = (width - padding * 2) as f32 / per_row as f32;
    let height = (side * per_col as f32) as i32 + padding * 2;
    let mut canvas = Canvas::new(width as usize, height.max(0) as usize, 0);
    for y in 0..per_col {
        for x in 0..per_row {
            let mut sx = (x as f32 * side + side / 2.0) as i32 + padding;
            let mut sy = (y as f32 * side + side / 2.0) as i32 + padding;
            let mut angle = 0.0;
            if y > 1 {
                let spread = |rng: &mut fastrand::Rng| unit(rng) / per_col as f32 * y as f32;
                let (mut r1, mut r2, mut r3) = (spread(rng), spread(rng), spread(rng));
                for r in [&mut r1, &mut r2, &mut r3] {
                    if rand(rng) % 2 == 1 {
                        *r = -*r;
                    }
                }
                angle = r1;
                sx += (r2 * side / 3.0) as i32;
                sy += (r3 * side / 3.0) as i32;
            }
            canvas.square(sx, sy, side, angle);
        }
    }
    canvas
}

/// One building of the skyline.
struct Skyscraper {
    xoff: i32,
    width: i32,
    height: i32,
    windows: bool,
    color: u8,
}

fn skyscraper(canvas: &mut Canvas, s: &Skyscraper, rng: &mut fastrand::Rng) {
    let start_y = canvas.height - 1;
    let end_y = start_y - s.height + 1;
    for y in (end_y..=start_y).rev() {
        for x in s.xoff..s.xoff + s.width {
            // Rounded roof corners.
            if y == end_y && (x <= s.xoff + 1 || x >= s.xoff + s.width - 2) {
                continue;
            }
            let mut color = s.color;
            if s.windows && x > s.xoff + 1 && x < s.xoff + s.width - 2 && y > end_y + 1 && y < start_y - 1 {
                let (rel_x, rel_y) = (x - (s.xoff + 1), y - (end_y + 1));
                if (rel_x / 2) % 2 == 1 && rel_y % 2 == 1 {
                    loop {
                        color = 1 + (rand(rng) % 2) as u8;
                        if color != s.color {
                            break;
                        }
                    }
                    if rel_x % 2 == 1 {
                        color = canvas.get(x - 1, y);
                    }
                }
            }
            canvas.set(x, y, color);
        }
    }
}

/// Two rows of grey buildings behind a row of black ones with lit windows.
fn skyline(canvas: &mut Canvas, rng: &mut fastrand::Rng) {
    let h = canvas.height;
    for color in [2u8, 1] {
        let mut offset = -10;
        while offset < canvas.width {
            offset += rand(rng) % 8;
            let width = 10 + rand(rng) % 9;
            let height = if color == 2 { h / 2 + (rand(rng) % h) / 2 } else { h / 2 + (rand(rng) % h) / 3 };
            skyscraper(canvas, &Skyscraper { xoff: offset, width, height, windows: false, color }, rng);
            offset += if color == 2 { width / 2 } else { width + 1 };
        }
    }
    let mut offset = -10;
    while offset < canvas.width {
        offset += rand(rng) % 8;
        let mut width = 5 + rand(rng) % 14;
        if width % 4 != 0 {
            width += width % 3;
        }
        let height = h / 3 + (rand(rng) % h) / 2;
        skyscraper(canvas, &Skyscraper { xoff: offset, width, height, windows: true, color: 0 }, rng);
        offset += width + 5;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braille_dots_follow_unicode_numbering() {
        let mut canvas = Canvas::new(2, 4, 0);
        canvas.set(0, 0, 1);
        // Redis ends every character row with a newline unless its top pixel row is the last.
        assert_eq!(canvas.braille(), "\u{2801}\n");
        canvas.set(1, 3, 1);
        assert_eq!(canvas.braille(), "\u{2881}\n");
    }

    #[test]
    fn schotter_size_matches_redis() {
        // Redis's default: 66 columns, 8x12 squares -> 132x196 pixels -> 66x49 characters.
        let canvas = schotter(66, 8, 12, &mut fastrand::Rng::with_seed(1));
        assert_eq!((canvas.width, canvas.height), (132, 196));
        let text = canvas.braille();
        assert_eq!(text.lines().count(), 49);
        assert!(text.lines().all(|l| l.chars().count() == 66));
        // The unrotated top row draws the same squares every time.
        let again = schotter(66, 8, 12, &mut fastrand::Rng::with_seed(2)).braille();
        assert_eq!(text.lines().next(), again.lines().next());
    }
}
