package dev.keyline.common.json;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategy;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.cfg.HandlerInstantiator;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeIdResolver;
import com.fasterxml.jackson.databind.jsontype.TypeResolverBuilder;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.ArrayType;
import com.fasterxml.jackson.databind.type.CollectionLikeType;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.MapLikeType;
import com.fasterxml.jackson.databind.type.MapType;
import com.fasterxml.jackson.databind.type.ReferenceType;
import com.fasterxml.jackson.databind.util.ClassUtil;
import com.fasterxml.jackson.databind.util.Converter;

import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemMappers;

/**
 * Jackson stopped at the first field it could not read, so a body with three wrong types and two
 * unknown fields took five attempts to correct. Here a read goes on past each such field and, when
 * the whole value has been read, throws one {@link JsonFieldErrors} naming them all (paths as
 * {@code details.managesUsers[2]}), which the problem mappers answer as one 400.
 *
 * <ul>
 * <li>An unknown field (with {@code FAIL_ON_UNKNOWN_PROPERTIES}) is noted and its value skipped.
 * <li>A value that is not of its field's type or shape (a coercion {@link StrictJsonParsing} refuses, a
 * string that is no UUID, an object where a string belongs, a number too large for its field) is
 * noted and read as absent (null, or a primitive's default): every value deserializer is wrapped so
 * that what it throws for its own value stops at that value, whoever made the deserializer (the
 * factory, or a {@code @JsonDeserialize(using = …)}).
 * <li>Malformed JSON (a syntax error, a key named twice, content after the value) is still one error,
 * thrown as it was: nothing after it can be read.
 * </ul>
 *
 * At most {@link #MAX_ERRORS} fields are named: the read stops there, so a body of ten thousand
 * unknown keys is not answered with ten thousand lines.
 */
@Singleton
public class EveryBadField implements io.quarkus.jackson.ObjectMapperCustomizer {

    /** The most fields one answer names; the read stops at the next. */
    public static final int MAX_ERRORS = 100;

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("keyline-every-bad-field");
        module.setDeserializerModifier(new Wrapping());
        mapper.registerModule(module);
        mapper.addHandler(new UnknownFields());
        mapper.setHandlerInstantiator(new AnnotatedDeserializers(mapper.getDeserializationConfig().getHandlerInstantiator()));
    }

    /** The fields refused so far in one read: a per-call attribute of its DeserializationContext. */
    static final class Collected {

        private static final Object KEY = Collected.class;

        private final Map<String, String> reasons = new LinkedHashMap<>();

        /** The {@link #home} of each value being read, innermost first. */
        private final ArrayDeque<JsonStreamContext> homes = new ArrayDeque<>();

        static Collected of(DeserializationContext ctxt) {
            return (Collected) ctxt.getAttribute(KEY);
        }

        /** A field named twice (a value refused inside a value refused) is named once, for the first reason. */
        void add(JsonParser p, String field, String reason) throws JsonFieldErrors {
            reasons.putIfAbsent(field, reason);
            if (reasons.size() >= MAX_ERRORS) {
                throw collected(p, null, null);
            }
        }

        boolean isEmpty() {
            return reasons.isEmpty();
        }

        JsonFieldErrors collected(JsonParser p, Class<?> target, Object partialValue) {
            List<FieldError> errors = new ArrayList<>();
            reasons.forEach((field, reason) -> errors.add(new FieldError(field, reason)));
            return new JsonFieldErrors(p, target, errors, partialValue);
        }
    }

    /**
     * The context a value is read in: its object's (whose current name is the value's field) or its
     * array's (whose current index is the value's). Its path is the value's; the parser is back in it
     * once the value has been read.
     */
    static JsonStreamContext home(JsonParser p) {
        JsonStreamContext context = p.getParsingContext();
        JsonToken t = p.currentToken();
        boolean inside = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY || t == JsonToken.FIELD_NAME;
        return inside && context.getParent() != null ? context.getParent() : context;
    }

    /** Notes an unknown field and skips its value, instead of failing the read there. */
    static final class UnknownFields extends DeserializationProblemHandler {

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                Object beanOrClass, String propertyName) throws IOException {
            Collected collected = Collected.of(ctxt);
            if (collected == null || !ctxt.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)) {
                return false;
            }
            // The object being read is the innermost value being read. Its context, not the parser's: a
            // record's unknown fields are buffered and handled after its last field, from a buffer whose
            // contexts do not say where the object is.
            JsonStreamContext object = collected.homes.peek();
            String field = object == null ? ProblemMappers.fieldPath(home(p), List.of())
                    : ProblemMappers.fieldPath(object, List.of(new JsonMappingException.Reference(null, propertyName)));
            p.skipChildren();
            collected.add(p, field, ProblemMappers.UNKNOWN_FIELD);
            return true;
        }
    }

    /** Every deserializer the factory makes is wrapped. */
    static final class Wrapping extends BeanDeserializerModifier {

        private static final long serialVersionUID = 1L;

        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription beanDesc,
                JsonDeserializer<?> deserializer) {
            return OneValue.wrap(deserializer);
        }

        @Override
        public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
            return OneValue.wrap(deserializer);
        }

        @Override
        public JsonDeserializer<?> modifyReferenceDeserializer(DeserializationConfig config, ReferenceType type,
                BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
            return OneValue.wrap(deserializer);
        }

        @Override
        public JsonDeserializer<?> modifyArrayDeserializer(DeserializationConfig config, ArrayType valueType,
                BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
            return OneValue.wrap(deserializer);
        }

        @Override
        public JsonDeserializer<?> modifyCollectionDeserializer(DeserializationConfig config, CollectionType type,
                BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
            return OneValue.wrap(deserializer);
        }

        @Override
        public JsonDeserializer<?> modifyCollectionLikeDeserializer(DeserializationConfig config,
                CollectionLikeType type, BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
            return OneValue.wrap(deserializer);
        }

        @Override
        public JsonDeserializer<?> modifyMapDeserializer(DeserializationConfig config, MapType type,
                BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
            return OneValue.wrap(deserializer);
        }

        @Override
        public JsonDeserializer<?> modifyMapLikeDeserializer(DeserializationConfig config, MapLikeType type,
                BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
            return OneValue.wrap(deserializer);
        }
    }

    /**
     * One value's deserializer. The outermost of a read (no {@link Collected} yet) starts the collection
     * and throws what was collected once its value is read; any other notes what its deserializer
     * refused for the value, skips the rest of the value and answers absent.
     */
    static final class OneValue extends DelegatingDeserializer {

        private static final long serialVersionUID = 1L;

        OneValue(JsonDeserializer<?> delegatee) {
            super(delegatee);
        }

        static JsonDeserializer<?> wrap(JsonDeserializer<?> deserializer) {
            return deserializer == null || deserializer instanceof OneValue ? deserializer : new OneValue(deserializer);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return wrap(newDelegatee);
        }

        /** As DelegatingDeserializer's, keeping the full type (with its parameters) being contextualised. */
        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
                throws JsonMappingException {
            JavaType type = ctxt.getContextualType();
            if (type == null && _delegatee.handledType() != null) {
                type = ctxt.constructType(_delegatee.handledType());
            }
            JsonDeserializer<?> contextual = ctxt.handleSecondaryContextualization(_delegatee, property, type);
            return contextual == _delegatee ? this : wrap(contextual);
        }

        private interface Read {
            Object value() throws IOException;
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return read(p, ctxt, () -> _delegatee.deserialize(p, ctxt));
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object deserialize(JsonParser p, DeserializationContext ctxt, Object intoValue) throws IOException {
            return read(p, ctxt, () -> ((JsonDeserializer<Object>) _delegatee).deserialize(p, ctxt, intoValue));
        }

        @Override
        public Object deserializeWithType(JsonParser p, DeserializationContext ctxt, TypeDeserializer typeDeserializer)
                throws IOException {
            return read(p, ctxt, () -> _delegatee.deserializeWithType(p, ctxt, typeDeserializer));
        }

        private Object read(JsonParser p, DeserializationContext ctxt, Read read) throws IOException {
            Collected collected = Collected.of(ctxt);
            if (collected == null) {
                return readRoot(p, ctxt, read);
            }
            JsonStreamContext home = home(p);
            collected.homes.push(home);
            try {
                return read.value();
            } catch (JsonMappingException | InputCoercionException e) {
                String reason = e instanceof JsonFieldErrors ? null : ProblemMappers.jsonReason(e);
                if (reason == null) {
                    throw e;
                }
                String field = ProblemMappers.fieldPath(home,
                        e instanceof JsonMappingException m ? m.getPath() : List.of());
                // The rest of the value, up to where the parser is back in the value's context.
                while (p.getParsingContext() != home && p.nextToken() != null) {
                    // skipped
                }
                collected.add(p, field, reason);
                return absent(ctxt);
            } finally {
                collected.homes.pop();
            }
        }

        private Object readRoot(JsonParser p, DeserializationContext ctxt, Read read) throws IOException {
            Collected collected = new Collected();
            ctxt.setAttribute(Collected.KEY, collected);
            JsonStreamContext home = home(p);
            collected.homes.push(home);
            try {
                Object value;
                try {
                    value = read.value();
                } catch (JsonFieldErrors e) {
                    throw e;
                } catch (JsonMappingException | InputCoercionException e) {
                    String reason = ProblemMappers.jsonReason(e);
                    if (reason == null) {
                        // Not a field's (or a consequence of one read as absent, say a constructor
                        // refusing the null): what was collected, if anything, else as before.
                        if (collected.isEmpty() || ProblemMappers.isMalformed(e)) {
                            throw e;
                        }
                        throw collected.collected(p, handledType(), null);
                    }
                    collected.add(p, ProblemMappers.fieldPath(home, e instanceof JsonMappingException m
                            ? m.getPath() : List.of()), reason);
                    value = null;
                }
                if (collected.isEmpty()) {
                    return value;
                }
                // Content after the value is malformed JSON and answered alone, as ObjectMapper would.
                if (ctxt.isEnabled(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) && p.getParsingContext().inRoot()) {
                    JsonToken trailing = p.nextToken();
                    if (trailing != null) {
                        ctxt.reportTrailingTokens(handledType(), p, trailing);
                    }
                }
                throw collected.collected(p, handledType(), value);
            } finally {
                ctxt.setAttribute(Collected.KEY, null);
            }
        }

        private Object absent(DeserializationContext ctxt) {
            Class<?> type = _delegatee.handledType();
            if (type != null && type.isPrimitive()) {
                return ClassUtil.defaultValue(type);
            }
            try {
                return _delegatee.getNullValue(ctxt);
            } catch (JsonMappingException e) {
                return null;
            }
        }
    }

    /**
     * A {@code @JsonDeserialize(using = …)} deserializer is made here, not by the factory: wrapped as
     * well, so that a value it refuses is that value's error alone. Everything else is left to the
     * instantiator that was there before, if any.
     */
    static final class AnnotatedDeserializers extends HandlerInstantiator {

        private final HandlerInstantiator next;

        AnnotatedDeserializers(HandlerInstantiator next) {
            this.next = next;
        }

        @Override
        public JsonDeserializer<?> deserializerInstance(DeserializationConfig config, Annotated annotated,
                Class<?> deserClass) {
            JsonDeserializer<?> deserializer = next == null ? null : next.deserializerInstance(config, annotated, deserClass);
            if (deserializer == null) {
                deserializer = (JsonDeserializer<?>) ClassUtil.createInstance(deserClass,
                        config.canOverrideAccessModifiers());
            }
            return OneValue.wrap(deserializer);
        }

        @Override
        public KeyDeserializer keyDeserializerInstance(DeserializationConfig config, Annotated annotated,
                Class<?> keyDeserClass) {
            return next == null ? null : next.keyDeserializerInstance(config, annotated, keyDeserClass);
        }

        @Override
        public JsonSerializer<?> serializerInstance(SerializationConfig config, Annotated annotated, Class<?> serClass) {
            return next == null ? null : next.serializerInstance(config, annotated, serClass);
        }

        @Override
        public TypeResolverBuilder<?> typeResolverBuilderInstance(MapperConfig<?> config, Annotated annotated,
                Class<?> builderClass) {
            return next == null ? null : next.typeResolverBuilderInstance(config, annotated, builderClass);
        }

        @Override
        public TypeIdResolver typeIdResolverInstance(MapperConfig<?> config, Annotated annotated, Class<?> resolverClass) {
            return next == null ? null : next.typeIdResolverInstance(config, annotated, resolverClass);
        }

        @Override
        public ValueInstantiator valueInstantiatorInstance(MapperConfig<?> config, Annotated annotated,
                Class<?> resolverClass) {
            return next == null ? null : next.valueInstantiatorInstance(config, annotated, resolverClass);
        }

        @Override
        public com.fasterxml.jackson.annotation.ObjectIdGenerator<?> objectIdGeneratorInstance(MapperConfig<?> config,
                Annotated annotated, Class<?> implClass) {
            return next == null ? null : next.objectIdGeneratorInstance(config, annotated, implClass);
        }

        @Override
        public com.fasterxml.jackson.annotation.ObjectIdResolver resolverIdGeneratorInstance(MapperConfig<?> config,
                Annotated annotated, Class<?> implClass) {
            return next == null ? null : next.resolverIdGeneratorInstance(config, annotated, implClass);
        }

        @Override
        public PropertyNamingStrategy namingStrategyInstance(MapperConfig<?> config, Annotated annotated,
                Class<?> implClass) {
            return next == null ? null : next.namingStrategyInstance(config, annotated, implClass);
        }

        @Override
        public Converter<?, ?> converterInstance(MapperConfig<?> config, Annotated annotated, Class<?> implClass) {
            return next == null ? null : next.converterInstance(config, annotated, implClass);
        }

        @Override
        public com.fasterxml.jackson.databind.ser.VirtualBeanPropertyWriter virtualPropertyWriterInstance(
                MapperConfig<?> config, Class<?> implClass) {
            return next == null ? null : next.virtualPropertyWriterInstance(config, implClass);
        }

        @Override
        public Object includeFilterInstance(SerializationConfig config, BeanPropertyDefinition forProperty,
                Class<?> filterClass) {
            return next == null ? null : next.includeFilterInstance(config, forProperty, filterClass);
        }
    }
}
