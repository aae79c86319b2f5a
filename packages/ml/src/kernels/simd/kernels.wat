;; Inner loops of the fused BatchNorm / bias + activation / Adam kernels in WebAssembly SIMD
;; (128-bit: four f32 lanes). Compiled from this text at load by simd-module.ts; the JS in
;; simd-loops.ts copies tensors into this module's memory, calls these, copies results out.
;;
;; Conventions. Every pointer is a byte offset into the module's memory; float arrays are f32,
;; accumulators f64. Activations are [rows, c] with the channel fastest. Per-channel data is
;; passed as a "pattern" of length L = lcm(c, 4) (the channel values repeated L / c times), so
;; every 4-lane vector sits on the same channels in every row of L elements, whatever c is.
;; Activation: act(p) = p for p > 0, alpha * p otherwise; factor(y) = 1 where y > 0 else alpha.
;;
;; Numerics. Sums promote each f32 to f64 and accumulate in f64x2 lanes (a product of two f32
;; is exact in f64), so one-pass variances keep their accuracy when the mean is large against
;; the spread, as the JS versions do with doubles.
(module
  (memory (export "memory") 1)

  ;; The three per-channel sums below share one shape. Rows are L floats (stride L * 4 bytes),
  ;; taken in tiles of T rows (a few KB, chosen by the caller to stay in L1). In a tile, the
  ;; outer loop takes the 4-lane groups of a row in turn, the inner loop runs down the tile's
  ;; rows with that group's sums in registers (low and high two lanes as f64x2 each), which
  ;; are then added to the f64[L] accumulators in memory. Without tiles each group would walk
  ;; all of memory again (c / 4 times over, for a quarter of each cache line). The last n mod L
  ;; elements (a partial row, only when c is not a multiple of 4) are summed one by one.

  ;; s[j] += x and q[j] += x * x over the rows (the forward's batch statistics). Two rows per
  ;; iteration into separate sums: one chain of f64 adds would wait on the add's latency.
  (func (export "sums") (param $x i32) (param $n i32) (param $L i32) (param $T i32) (param $s i32) (param $q i32)
    (local $stride i32) (local $g i32) (local $p i32) (local $end i32) (local $j i32) (local $rows i32)
    (local $t i32) (local $tend i32) (local $all i32)
    (local $v v128) (local $lo v128) (local $hi v128)
    (local $s0 v128) (local $s1 v128) (local $q0 v128) (local $q1 v128)
    (local $s2 v128) (local $s3 v128) (local $q2 v128) (local $q3 v128)
    (local $e f64)
    (local.set $stride (i32.shl (local.get $L) (i32.const 2)))
    (local.set $rows (i32.div_u (local.get $n) (local.get $L)))
    (local.set $all (i32.mul (local.get $rows) (local.get $stride)))
    (local.set $t (i32.const 0))
    (block $tiles_done
      (loop $tiles
        (br_if $tiles_done (i32.ge_u (local.get $t) (local.get $all)))
        (local.set $tend (i32.add (local.get $t) (i32.mul (local.get $T) (local.get $stride))))
        (if (i32.gt_u (local.get $tend) (local.get $all)) (then (local.set $tend (local.get $all))))
        (local.set $g (i32.const 0))
        (block $groups_done
          (loop $groups
            (br_if $groups_done (i32.ge_u (local.get $g) (local.get $stride)))
            (local.set $s0 (v128.const i64x2 0 0)) (local.set $s1 (v128.const i64x2 0 0))
            (local.set $q0 (v128.const i64x2 0 0)) (local.set $q1 (v128.const i64x2 0 0))
            (local.set $s2 (v128.const i64x2 0 0)) (local.set $s3 (v128.const i64x2 0 0))
            (local.set $q2 (v128.const i64x2 0 0)) (local.set $q3 (v128.const i64x2 0 0))
            (local.set $p (i32.add (local.get $x) (i32.add (local.get $t) (local.get $g))))
            (local.set $end (i32.add (local.get $x) (i32.add (local.get $tend) (local.get $g))))
            (block $pairs_done
              (loop $pairs
                (br_if $pairs_done (i32.ge_u (i32.add (local.get $p) (local.get $stride)) (local.get $end)))
                (local.set $v (v128.load (local.get $p)))
                (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
                (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
                (local.set $s0 (f64x2.add (local.get $s0) (local.get $lo)))
                (local.set $s1 (f64x2.add (local.get $s1) (local.get $hi)))
                (local.set $q0 (f64x2.add (local.get $q0) (f64x2.mul (local.get $lo) (local.get $lo))))
                (local.set $q1 (f64x2.add (local.get $q1) (f64x2.mul (local.get $hi) (local.get $hi))))
                (local.set $v (v128.load (i32.add (local.get $p) (local.get $stride))))
                (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
                (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
                (local.set $s2 (f64x2.add (local.get $s2) (local.get $lo)))
                (local.set $s3 (f64x2.add (local.get $s3) (local.get $hi)))
                (local.set $q2 (f64x2.add (local.get $q2) (f64x2.mul (local.get $lo) (local.get $lo))))
                (local.set $q3 (f64x2.add (local.get $q3) (f64x2.mul (local.get $hi) (local.get $hi))))
                (local.set $p (i32.add (local.get $p) (i32.shl (local.get $stride) (i32.const 1))))
                (br $pairs)))
            ;; An odd last row.
            (if (i32.lt_u (local.get $p) (local.get $end))
              (then
                (local.set $v (v128.load (local.get $p)))
                (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
                (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
                (local.set $s0 (f64x2.add (local.get $s0) (local.get $lo)))
                (local.set $s1 (f64x2.add (local.get $s1) (local.get $hi)))
                (local.set $q0 (f64x2.add (local.get $q0) (f64x2.mul (local.get $lo) (local.get $lo))))
                (local.set $q1 (f64x2.add (local.get $q1) (f64x2.mul (local.get $hi) (local.get $hi))))))
            ;; The group's accumulators: (g / 4) * 8 bytes = 2 g into s and q.
            (local.set $j (i32.add (local.get $s) (i32.shl (local.get $g) (i32.const 1))))
            (v128.store (local.get $j) (f64x2.add (v128.load (local.get $j)) (f64x2.add (local.get $s0) (local.get $s2))))
            (v128.store offset=16 (local.get $j) (f64x2.add (v128.load offset=16 (local.get $j)) (f64x2.add (local.get $s1) (local.get $s3))))
            (local.set $j (i32.add (local.get $q) (i32.shl (local.get $g) (i32.const 1))))
            (v128.store (local.get $j) (f64x2.add (v128.load (local.get $j)) (f64x2.add (local.get $q0) (local.get $q2))))
            (v128.store offset=16 (local.get $j) (f64x2.add (v128.load offset=16 (local.get $j)) (f64x2.add (local.get $q1) (local.get $q3))))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (br $groups)))
        (local.set $t (local.get $tend))
        (br $tiles)))
    ;; The partial last row.
    (local.set $p (i32.add (local.get $x) (i32.mul (local.get $rows) (local.get $stride))))
    (local.set $end (i32.shl (i32.sub (local.get $n) (i32.mul (local.get $rows) (local.get $L))) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $e (f64.promote_f32 (f32.load (i32.add (local.get $p) (local.get $j)))))
        (f64.store (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 1)))
          (f64.add (f64.load (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 1)))) (local.get $e)))
        (f64.store (i32.add (local.get $q) (i32.shl (local.get $j) (i32.const 1)))
          (f64.add (f64.load (i32.add (local.get $q) (i32.shl (local.get $j) (i32.const 1)))) (f64.mul (local.get $e) (local.get $e))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail))))

  ;; The backward's sums: with d = dy * factor(y), sd[j] += d and sdx[j] += d * x over the rows.
  ;; One row per iteration: the loads and the factor give the adds time enough.
  (func (export "grad_sums") (param $dy i32) (param $y i32) (param $x i32) (param $n i32) (param $L i32) (param $T i32) (param $alpha f32) (param $sd i32) (param $sdx i32)
    (local $stride i32) (local $g i32) (local $i i32) (local $end i32) (local $j i32) (local $rows i32)
    (local $t i32) (local $tend i32) (local $all i32)
    (local $av v128) (local $one v128) (local $d v128) (local $v v128) (local $dlo v128) (local $dhi v128)
    (local $s0 v128) (local $s1 v128) (local $q0 v128) (local $q1 v128)
    (local $e f64)
    (local.set $av (f32x4.splat (local.get $alpha)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $stride (i32.shl (local.get $L) (i32.const 2)))
    (local.set $rows (i32.div_u (local.get $n) (local.get $L)))
    (local.set $all (i32.mul (local.get $rows) (local.get $stride)))
    (local.set $t (i32.const 0))
    (block $tiles_done
      (loop $tiles
        (br_if $tiles_done (i32.ge_u (local.get $t) (local.get $all)))
        (local.set $tend (i32.add (local.get $t) (i32.mul (local.get $T) (local.get $stride))))
        (if (i32.gt_u (local.get $tend) (local.get $all)) (then (local.set $tend (local.get $all))))
        (local.set $g (i32.const 0))
        (block $groups_done
          (loop $groups
            (br_if $groups_done (i32.ge_u (local.get $g) (local.get $stride)))
            (local.set $s0 (v128.const i64x2 0 0)) (local.set $s1 (v128.const i64x2 0 0))
            (local.set $q0 (v128.const i64x2 0 0)) (local.set $q1 (v128.const i64x2 0 0))
            ;; i: byte offset from the arrays' starts, the same in dy, y and x.
            (local.set $i (i32.add (local.get $t) (local.get $g)))
            (local.set $end (i32.add (local.get $tend) (local.get $g)))
            (block $rows_done
              (loop $row
                (br_if $rows_done (i32.ge_u (local.get $i) (local.get $end)))
                (local.set $d
                  (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $i)))
                    (v128.bitselect (local.get $one) (local.get $av)
                      (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $i))) (v128.const f32x4 0 0 0 0)))))
                (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
                (local.set $dlo (f64x2.promote_low_f32x4 (local.get $d)))
                (local.set $dhi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $d) (local.get $d))))
                (local.set $s0 (f64x2.add (local.get $s0) (local.get $dlo)))
                (local.set $s1 (f64x2.add (local.get $s1) (local.get $dhi)))
                (local.set $q0 (f64x2.add (local.get $q0) (f64x2.mul (local.get $dlo) (f64x2.promote_low_f32x4 (local.get $v)))))
                (local.set $q1 (f64x2.add (local.get $q1)
                  (f64x2.mul (local.get $dhi) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))))
                (local.set $i (i32.add (local.get $i) (local.get $stride)))
                (br $row)))
            (local.set $j (i32.add (local.get $sd) (i32.shl (local.get $g) (i32.const 1))))
            (v128.store (local.get $j) (f64x2.add (v128.load (local.get $j)) (local.get $s0)))
            (v128.store offset=16 (local.get $j) (f64x2.add (v128.load offset=16 (local.get $j)) (local.get $s1)))
            (local.set $j (i32.add (local.get $sdx) (i32.shl (local.get $g) (i32.const 1))))
            (v128.store (local.get $j) (f64x2.add (v128.load (local.get $j)) (local.get $q0)))
            (v128.store offset=16 (local.get $j) (f64x2.add (v128.load offset=16 (local.get $j)) (local.get $q1)))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (br $groups)))
        (local.set $t (local.get $tend))
        (br $tiles)))
    ;; The partial last row: i runs over its bytes, j over the accumulators' (twice as many).
    (local.set $i (i32.mul (local.get $rows) (local.get $stride)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $e (f64.promote_f32
          (f32.mul (f32.load (i32.add (local.get $dy) (local.get $i)))
            (select (f32.const 1) (local.get $alpha) (f32.gt (f32.load (i32.add (local.get $y) (local.get $i))) (f32.const 0))))))
        (f64.store (i32.add (local.get $sd) (local.get $j))
          (f64.add (f64.load (i32.add (local.get $sd) (local.get $j))) (local.get $e)))
        (f64.store (i32.add (local.get $sdx) (local.get $j))
          (f64.add (f64.load (i32.add (local.get $sdx) (local.get $j)))
            (f64.mul (local.get $e) (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $i)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $tail))))

  ;; Bias + activation's backward: dx = dy * factor(y), and s[j] += dx over the rows.
  (func (export "bias_grad") (param $dy i32) (param $y i32) (param $n i32) (param $L i32) (param $T i32) (param $alpha f32) (param $dx i32) (param $s i32)
    (local $stride i32) (local $g i32) (local $i i32) (local $end i32) (local $j i32) (local $rows i32)
    (local $t i32) (local $tend i32) (local $all i32)
    (local $av v128) (local $one v128) (local $d v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $e f32)
    (local.set $av (f32x4.splat (local.get $alpha)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $stride (i32.shl (local.get $L) (i32.const 2)))
    (local.set $rows (i32.div_u (local.get $n) (local.get $L)))
    (local.set $all (i32.mul (local.get $rows) (local.get $stride)))
    (local.set $t (i32.const 0))
    (block $tiles_done
      (loop $tiles
        (br_if $tiles_done (i32.ge_u (local.get $t) (local.get $all)))
        (local.set $tend (i32.add (local.get $t) (i32.mul (local.get $T) (local.get $stride))))
        (if (i32.gt_u (local.get $tend) (local.get $all)) (then (local.set $tend (local.get $all))))
        (local.set $g (i32.const 0))
        (block $groups_done
          (loop $groups
            (br_if $groups_done (i32.ge_u (local.get $g) (local.get $stride)))
            (local.set $s0 (v128.const i64x2 0 0)) (local.set $s1 (v128.const i64x2 0 0))
            (local.set $s2 (v128.const i64x2 0 0)) (local.set $s3 (v128.const i64x2 0 0))
            (local.set $i (i32.add (local.get $t) (local.get $g)))
            (local.set $end (i32.add (local.get $tend) (local.get $g)))
            (block $rows_done
              (loop $row
                (br_if $rows_done (i32.ge_u (local.get $i) (local.get $end)))
                (local.set $d
                  (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $i)))
                    (v128.bitselect (local.get $one) (local.get $av)
                      (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $i))) (v128.const f32x4 0 0 0 0)))))
                (v128.store (i32.add (local.get $dx) (local.get $i)) (local.get $d))
                ;; Two alternating pairs of sums (the adds' latency), a row each.
                (local.set $s0 (f64x2.add (local.get $s0) (f64x2.promote_low_f32x4 (local.get $d))))
                (local.set $s1 (f64x2.add (local.get $s1) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $d) (local.get $d)))))
                (local.set $d (local.get $s0)) (local.set $s0 (local.get $s2)) (local.set $s2 (local.get $d))
                (local.set $d (local.get $s1)) (local.set $s1 (local.get $s3)) (local.set $s3 (local.get $d))
                (local.set $i (i32.add (local.get $i) (local.get $stride)))
                (br $row)))
            (local.set $j (i32.add (local.get $s) (i32.shl (local.get $g) (i32.const 1))))
            (v128.store (local.get $j) (f64x2.add (v128.load (local.get $j)) (f64x2.add (local.get $s0) (local.get $s2))))
            (v128.store offset=16 (local.get $j) (f64x2.add (v128.load offset=16 (local.get $j)) (f64x2.add (local.get $s1) (local.get $s3))))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (br $groups)))
        (local.set $t (local.get $tend))
        (br $tiles)))
    (local.set $i (i32.mul (local.get $rows) (local.get $stride)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $e
          (f32.mul (f32.load (i32.add (local.get $dy) (local.get $i)))
            (select (f32.const 1) (local.get $alpha) (f32.gt (f32.load (i32.add (local.get $y) (local.get $i))) (f32.const 0)))))
        (f32.store (i32.add (local.get $dx) (local.get $i)) (local.get $e))
        (f64.store (i32.add (local.get $s) (local.get $j))
          (f64.add (f64.load (i32.add (local.get $s) (local.get $j))) (f64.promote_f32 (local.get $e))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $tail))))

  ;; y = act(x * scale + shift) with scale, shift patterns f32[L]; x * scale + shift in f64
  ;; (one rounding, as the JS version), so outputs stay accurate when the shift nearly
  ;; cancels x * scale (a large mean against a small spread).
  (func (export "affine_act") (param $x i32) (param $n i32) (param $L i32) (param $scale i32) (param $shift i32) (param $alpha f32) (param $y i32)
    (local $i i32) (local $j i32) (local $end i32) (local $lbytes i32)
    (local $av v128) (local $one v128) (local $v v128) (local $sc v128) (local $sh v128) (local $p v128) (local $ps f32)
    (local.set $av (f32x4.splat (local.get $alpha)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $lbytes (i32.shl (local.get $L) (i32.const 2)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $i (i32.const 0))
    (local.set $j (i32.const 0))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $sc (v128.load (i32.add (local.get $scale) (local.get $j))))
        (local.set $sh (v128.load (i32.add (local.get $shift) (local.get $j))))
        (local.set $p
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero
              (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v)) (f64x2.promote_low_f32x4 (local.get $sc))) (f64x2.promote_low_f32x4 (local.get $sh))))
            (f32x4.demote_f64x2_zero
              (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $sc) (local.get $sc)))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $sh) (local.get $sh)))))))
        (v128.store (i32.add (local.get $y) (local.get $i))
          (f32x4.mul (local.get $p)
            (v128.bitselect (local.get $one) (local.get $av) (f32x4.gt (local.get $p) (v128.const f32x4 0 0 0 0)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (if (i32.eq (local.get $j) (local.get $lbytes)) (then (local.set $j (i32.const 0))))
        (br $vec)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $ps (f32.demote_f64
          (f64.add
            (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $i))))
              (f64.promote_f32 (f32.load (i32.add (local.get $scale) (local.get $j)))))
            (f64.promote_f32 (f32.load (i32.add (local.get $shift) (local.get $j)))))))
        (f32.store (i32.add (local.get $y) (local.get $i))
          (f32.mul (local.get $ps) (select (f32.const 1) (local.get $alpha) (f32.gt (local.get $ps) (f32.const 0)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail))))

  ;; The BatchNorm backward's second pass: dx = ca * d + cb - cc * x with d = dy * factor(y) and
  ;; patterns ca, cb, cc f32[L]. In f64 for the same reason as affine_act (cb nearly cancels
  ;; cc * x when the mean is large against the spread).
  (func (export "bn_grad_dx") (param $dy i32) (param $y i32) (param $x i32) (param $n i32) (param $L i32) (param $ca i32) (param $cb i32) (param $cc i32) (param $alpha f32) (param $dx i32)
    (local $i i32) (local $j i32) (local $end i32) (local $lbytes i32)
    (local $av v128) (local $one v128) (local $d v128) (local $v v128) (local $a v128) (local $b v128) (local $c v128) (local $ds f32)
    (local.set $av (f32x4.splat (local.get $alpha)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $lbytes (i32.shl (local.get $L) (i32.const 2)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $i (i32.const 0))
    (local.set $j (i32.const 0))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $d
          (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $i)))
            (v128.bitselect (local.get $one) (local.get $av)
              (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $i))) (v128.const f32x4 0 0 0 0)))))
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $a (v128.load (i32.add (local.get $ca) (local.get $j))))
        (local.set $b (v128.load (i32.add (local.get $cb) (local.get $j))))
        (local.set $c (v128.load (i32.add (local.get $cc) (local.get $j))))
        (v128.store (i32.add (local.get $dx) (local.get $i))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero
              (f64x2.sub
                (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $a)) (f64x2.promote_low_f32x4 (local.get $d))) (f64x2.promote_low_f32x4 (local.get $b)))
                (f64x2.mul (f64x2.promote_low_f32x4 (local.get $c)) (f64x2.promote_low_f32x4 (local.get $v)))))
            (f32x4.demote_f64x2_zero
              (f64x2.sub
                (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $d) (local.get $d)))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b) (local.get $b))))
                (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $c) (local.get $c))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (if (i32.eq (local.get $j) (local.get $lbytes)) (then (local.set $j (i32.const 0))))
        (br $vec)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $ds
          (f32.mul (f32.load (i32.add (local.get $dy) (local.get $i)))
            (select (f32.const 1) (local.get $alpha) (f32.gt (f32.load (i32.add (local.get $y) (local.get $i))) (f32.const 0)))))
        (f32.store (i32.add (local.get $dx) (local.get $i))
          (f32.demote_f64
            (f64.sub
              (f64.add
                (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $ca) (local.get $j)))) (f64.promote_f32 (local.get $ds)))
                (f64.promote_f32 (f32.load (i32.add (local.get $cb) (local.get $j)))))
              (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $cc) (local.get $j))))
                (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $i))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail))))

  ;; One Adam step in place over n elements: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g g;
  ;; p -= step * m / (sqrt(v) + eps). f32 throughout (each element stands alone: no sums).
  ;; g1 = 1 - b1 and g2 = 1 - b2 come in computed in f64: 1 - f32(0.999) is off by 1e-5.
  (func (export "adam") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
      (param $step f32) (param $b1 f32) (param $g1 f32) (param $b2 f32) (param $g2 f32) (param $eps f32)
    (local $i i32) (local $end i32)
    (local $vb1 v128) (local $vg1 v128) (local $vb2 v128) (local $vg2 v128) (local $vstep v128) (local $veps v128)
    (local $gv v128) (local $mv v128) (local $vv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $vb1 (f32x4.splat (local.get $b1)))
    (local.set $vb2 (f32x4.splat (local.get $b2)))
    (local.set $vg1 (f32x4.splat (local.get $g1)))
    (local.set $vg2 (f32x4.splat (local.get $g2)))
    (local.set $vstep (f32x4.splat (local.get $step)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
        (local.set $mv (f32x4.add (f32x4.mul (local.get $vb1) (v128.load (i32.add (local.get $m) (local.get $i))))
          (f32x4.mul (local.get $vg1) (local.get $gv))))
        (local.set $vv (f32x4.add (f32x4.mul (local.get $vb2) (v128.load (i32.add (local.get $v) (local.get $i))))
          (f32x4.mul (f32x4.mul (local.get $vg2) (local.get $gv)) (local.get $gv))))
        (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $mv))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vv))
        (v128.store (i32.add (local.get $p) (local.get $i))
          (f32x4.sub (v128.load (i32.add (local.get $p) (local.get $i)))
            (f32x4.mul (local.get $vstep)
              (f32x4.div (local.get $mv) (f32x4.add (f32x4.sqrt (local.get $vv)) (local.get $veps))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vec)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $i))))
        (local.set $ms (f32.add (f32.mul (local.get $b1) (f32.load (i32.add (local.get $m) (local.get $i))))
          (f32.mul (local.get $g1) (local.get $gs))))
        (local.set $vs (f32.add (f32.mul (local.get $b2) (f32.load (i32.add (local.get $v) (local.get $i))))
          (f32.mul (f32.mul (local.get $g2) (local.get $gs)) (local.get $gs))))
        (f32.store (i32.add (local.get $m) (local.get $i)) (local.get $ms))
        (f32.store (i32.add (local.get $v) (local.get $i)) (local.get $vs))
        (f32.store (i32.add (local.get $p) (local.get $i))
          (f32.sub (f32.load (i32.add (local.get $p) (local.get $i)))
            (f32.mul (local.get $step)
              (f32.div (local.get $ms) (f32.add (f32.sqrt (local.get $vs)) (local.get $eps))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail))))
)
