// 07 · Drawing the computation graph (like micrograd's draw_dot)

Value x1 = Value.scalar(2.0).label("x1");
Value x2 = Value.scalar(0.0).label("x2");
Value w1 = Value.scalar(-3.0).requiresGrad(true).label("w1");
Value w2 = Value.scalar(1.0).requiresGrad(true).label("w2");
Value b = Value.scalar(6.8813735870195432).requiresGrad(true).label("b");
Value n = x1.mul(w1).label("x1*w1").add(x2.mul(w2).label("x2*w2")).add(b).label("n");
Value o = n.tanh().label("o");
o.backward();

String dot = o.toDot();
System.out.println(dot);
Path file = Files.createTempFile("neuron", ".dot");
Files.writeString(file, dot);
System.out.println("wrote " + file + " — render it with: dot -Tsvg " + file + " -o neuron.svg");
check(dot.contains("label=\"tanh\"") && dot.contains("w1 | data -3.0000 | grad 1.0000"), "graph shows ops and grads");
checkClose(o.item(), Math.sqrt(0.5), 1e-12, "tanh output");
