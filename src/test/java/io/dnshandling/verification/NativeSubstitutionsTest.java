package io.dnshandling.verification;

import static org.assertj.core.api.Assertions.assertThat;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * What the native image's dnsjava substitutions must achieve, checked on the class files since
 * {@code native-image} cannot run here: each substitution matches a member the target really
 * declares (the image builder refuses one that does not), and once they are applied, nothing
 * {@code SimpleResolver} can reach inside dnsjava names a class missing from the class path
 * (JNA, Android), which is what stopped the image builder's analysis.
 */
class NativeSubstitutionsTest {

    static final List<Class<?>> SUBSTITUTIONS =
            List.of(Target_WindowsResolverConfigProvider.class, Target_AndroidResolverConfigProvider.class);

    @Test
    void every_substitution_replaces_a_member_its_target_declares() {
        Map<String, Set<String>> replaced = replacedMembers();
        assertThat(replaced).hasSize(SUBSTITUTIONS.size());
        replaced.forEach((target, members) -> {
            Set<String> declared = new HashSet<>();
            read(target).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                    declared.add(name + " " + desc);
                    return null;
                }
            }, ClassReader.SKIP_CODE);
            assertThat(members).as(target).isNotEmpty();
            assertThat(declared).as(target).containsAll(members);
        });
    }

    @Test
    void with_the_substitutions_dnsjava_reaches_no_missing_class_from_a_resolver() {
        Reach reach = new Reach();
        assertThat(reach.missingFrom("org/xbill/DNS/SimpleResolver")).isEmpty();
        assertThat(reach.missingFrom("org/xbill/DNS/ExtendedResolver")).isEmpty();
        assertThat(reach.missingFrom("org/xbill/DNS/lookup/LookupSession")).isEmpty();
    }

    @Test
    void without_them_the_windows_and_android_providers_would_stop_the_image_builder() {
        Reach reach = new Reach(Map.of());
        assertThat(reach.missingFrom("org/xbill/DNS/SimpleResolver"))
                .anyMatch(name -> name.startsWith("com/sun/jna/"))
                .anyMatch(name -> name.startsWith("android/"));
    }

    /** Every dnsjava class a class refers to, followed through their method bodies. */
    static final class Reach {
        /** Class name → "name descriptor" of its members replaced by a substitution. */
        final Map<String, Set<String>> replaced;
        final Set<String> seen = new HashSet<>();
        final Set<String> missing = new TreeSet<>();

        Reach() {
            this(replacedMembers());
        }

        Reach(Map<String, Set<String>> replaced) {
            this.replaced = replaced;
        }

        Set<String> missingFrom(String internalName) {
            visit(internalName);
            return missing;
        }

        private void visit(String internalName) {
            if (!seen.add(internalName)) {
                return;
            }
            if (!internalName.startsWith("org/xbill/DNS/")) {
                if (!loadable(internalName)) {
                    missing.add(internalName);
                }
                return;
            }
            Set<String> skip = replaced.getOrDefault(internalName, Set.of());
            Set<String> refs = new HashSet<>();
            read(internalName).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                    return skip.contains(name + " " + desc) ? null : new References(refs);
                }
            }, ClassReader.SKIP_DEBUG);
            refs.forEach(this::visit);
        }
    }

    /** The classes a method body names: owners of calls and fields, created types, class constants. */
    static final class References extends MethodVisitor {
        final Set<String> refs;

        References(Set<String> refs) {
            super(Opcodes.ASM9);
            this.refs = refs;
        }

        private void add(String internalName) {
            Type type = internalName.startsWith("[") ? Type.getType(internalName).getElementType()
                    : Type.getObjectType(internalName);
            if (type.getSort() == Type.OBJECT) {
                refs.add(type.getInternalName());
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
            add(owner);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String desc) {
            add(owner);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            add(type);
        }

        @Override
        public void visitLdcInsn(Object value) {
            if (value instanceof Type type && type.getSort() == Type.OBJECT) {
                add(type.getInternalName());
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
            for (Object arg : args) {
                if (arg instanceof Handle handle) {
                    add(handle.getOwner());
                }
            }
        }
    }

    static Map<String, Set<String>> replacedMembers() {
        Map<String, Set<String>> replaced = new HashMap<>();
        for (Class<?> substitution : SUBSTITUTIONS) {
            String target = substitution.getAnnotation(TargetClass.class).className().replace('.', '/');
            Set<String> members = replaced.computeIfAbsent(target, t -> new HashSet<>());
            for (Method method : substitution.getDeclaredMethods()) {
                if (method.isAnnotationPresent(Substitute.class)) {
                    members.add(method.getName() + " " + Type.getMethodDescriptor(method));
                }
            }
            for (Constructor<?> constructor : substitution.getDeclaredConstructors()) {
                if (constructor.isAnnotationPresent(Substitute.class)) {
                    members.add("<init> " + Type.getConstructorDescriptor(constructor));
                }
            }
        }
        return replaced;
    }

    static boolean loadable(String internalName) {
        try {
            Class.forName(internalName.replace('/', '.'), false, NativeSubstitutionsTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static ClassReader read(String internalName) {
        try (InputStream in = NativeSubstitutionsTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            assertThat(in).as(internalName).isNotNull();
            return new ClassReader(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
