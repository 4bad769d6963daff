// 08 · Physics with gradients: a pendulum's energy, its forces, and a Jacobian
// A pendulum of mass m on a rod of length l, at angle θ from the vertical, turning at angular speed ω.

double m = 1.5, l = 0.8, gravity = 9.81;
Value theta = Value.scalar(0.6).requiresGrad(true);
Value omega = Value.scalar(-2.0).requiresGrad(true);

// E(θ, ω) = ½·m·l²·ω² + m·g·l·(1 − cos θ)
Value kinetic = omega.square().mul(0.5 * m * l * l);
Value potential = theta.cos().neg().add(1.0).mul(m * gravity * l);
Value energy = kinetic.add(potential);
energy.backward();
System.out.println("E = " + energy.item() + ",  ∂E/∂θ = " + theta.grad().item() + ",  ∂E/∂ω = " + omega.grad().item());

// ∂E/∂θ = m·g·l·sin θ (the restoring torque), ∂E/∂ω = m·l²·ω (the angular momentum)
checkClose(theta.grad().item(), m * gravity * l * Math.sin(0.6), 1e-12, "∂E/∂θ = m g l sin θ");
checkClose(omega.grad().item(), m * l * l * -2.0, 1e-12, "∂E/∂ω = m l² ω");

// Hamilton's equations from the same graph: dθ/dt = ∂H/∂p, dp/dt = −∂H/∂θ with p = m l² ω
// Here: the second derivative ∂²E/∂θ² = m g l cos θ, the stiffness of small oscillations
ValueFunction energyOfAngle = xs -> xs[0].cos().neg().add(1.0).mul(m * gravity * l);
NDArray stiffness = Functional.hessian(energyOfAngle, NDArray.scalar(0.6));
checkClose(stiffness.item(), m * gravity * l * Math.cos(0.6), 1e-12, "∂²E/∂θ² = m g l cos θ");
double smallOscillationPeriod = 2 * Math.PI * Math.sqrt(m * l * l / (m * gravity * l * Math.cos(0.0)));
System.out.println("period of small oscillations: " + smallOscillationPeriod + " s (2π√(l/g))");

// The Jacobian of the bob's position (x, y) = (l sin θ, −l cos θ) with respect to θ: (l cos θ, l sin θ)
ValueFunction position = xs -> Value.stack(0, xs[0].sin().mul(l), xs[0].cos().mul(-l));
NDArray jacobian = Functional.jacobian(position, NDArray.scalar(0.6)).get(0);
System.out.println("∂(x, y)/∂θ = " + jacobian);
check(jacobian.allClose(NDArray.of(l * Math.cos(0.6), l * Math.sin(0.6)), 1e-12, 1e-12), "Jacobian of the position");

// The Jacobian of polar → Cartesian coordinates, and its determinant r
ValueFunction cartesian = xs -> Value.stack(0, xs[0].mul(xs[1].cos()), xs[0].mul(xs[1].sin()));
List<NDArray> blocks = Functional.jacobian(cartesian, NDArray.scalar(2.0), NDArray.scalar(0.3));
double det = blocks.get(0).get(0) * blocks.get(1).get(1) - blocks.get(1).get(0) * blocks.get(0).get(1);
System.out.println("det ∂(x, y)/∂(r, φ) = " + det);
checkClose(det, 2.0, 1e-12, "the polar Jacobian's determinant is r");
