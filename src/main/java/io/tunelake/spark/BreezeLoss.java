package io.tunelake.spark;

import breeze.linalg.DenseVector;
import breeze.optimize.DiffFunction;
import java.lang.invoke.MethodHandles;
import org.apache.xbean.asm9.ClassWriter;
import org.apache.xbean.asm9.MethodVisitor;
import org.apache.xbean.asm9.Opcodes;
import scala.Tuple2;

/**
 * A loss function in Breeze's shape ({@code DiffFunction}), backed by a Java {@link Body}.
 *
 * <p>No Java source can implement a Scala function trait: {@code DiffFunction} inherits
 * {@code apply} twice with one parameter type and two return types ({@code double} from the
 * trait, {@code Object} from {@code scala.Function1}), which the JVM allows and javac refuses.
 * So the class is written as bytecode, once: {@code calculate} and {@code Function1.apply}
 * call the body, every other method is the trait's default.
 */
final class BreezeLoss {
  /** The loss and gradient at a point, in Breeze's tuple. */
  @FunctionalInterface
  interface Body {
    Tuple2<Object, DenseVector<Object>> calculate(DenseVector<Object> x);
  }

  private static final String BODY = "io/tunelake/spark/BreezeLoss$Body";
  private static final String TUPLE = "scala/Tuple2";
  private static final Class<?> ADAPTER = define();

  private BreezeLoss() {}

  @SuppressWarnings("unchecked")
  static DiffFunction<DenseVector<Object>> of(Body body) {
    try {
      return (DiffFunction<DenseVector<Object>>) ADAPTER.getConstructor(Body.class).newInstance(body);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create the Breeze loss adapter", e);
    }
  }

  private static Class<?> define() {
    String name = "io/tunelake/spark/BreezeLoss$Adapter";
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, name, null,
        "java/lang/Object", new String[] {"breeze/optimize/DiffFunction"});
    cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "body", "L" + BODY + ";", null, null).visitEnd();

    MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(L" + BODY + ";)V", null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitVarInsn(Opcodes.ALOAD, 1);
    init.visitFieldInsn(Opcodes.PUTFIELD, name, "body", "L" + BODY + ";");
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();

    // calculate(x) = body.calculate(x); apply(x): Object = body.calculate(x)._1
    for (boolean value : new boolean[] {false, true}) {
      MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC, value ? "apply" : "calculate",
          value ? "(Ljava/lang/Object;)Ljava/lang/Object;" : "(Ljava/lang/Object;)L" + TUPLE + ";", null, null);
      m.visitCode();
      m.visitVarInsn(Opcodes.ALOAD, 0);
      m.visitFieldInsn(Opcodes.GETFIELD, name, "body", "L" + BODY + ";");
      m.visitVarInsn(Opcodes.ALOAD, 1);
      m.visitTypeInsn(Opcodes.CHECKCAST, "breeze/linalg/DenseVector");
      m.visitMethodInsn(Opcodes.INVOKEINTERFACE, BODY, "calculate",
          "(Lbreeze/linalg/DenseVector;)L" + TUPLE + ";", true);
      if (value) {
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, TUPLE, "_1", "()Ljava/lang/Object;", false);
      }
      m.visitInsn(Opcodes.ARETURN);
      m.visitMaxs(0, 0);
      m.visitEnd();
    }
    cw.visitEnd();
    try {
      return MethodHandles.lookup().defineClass(cw.toByteArray());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot define the Breeze loss adapter", e);
    }
  }
}
